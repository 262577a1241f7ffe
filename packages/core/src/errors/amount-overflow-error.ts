// A sum of cents went past 2^53, where doubles stop counting exactly: better no results than inexact ones.
import { InputError } from './input-error.js';

export class AmountOverflowError extends InputError {
  override name = 'AmountOverflowError';

  constructor(readonly ville: string) {
    super(`the amounts of '${ville}' add up to more than ${Number.MAX_SAFE_INTEGER} cents, beyond exact arithmetic`);
  }
}
