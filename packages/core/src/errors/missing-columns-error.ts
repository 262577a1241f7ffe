// The header lacks a required column; the message names what is missing and what was found.
import { InputError } from './input-error.js';

export class MissingColumnsError extends InputError {
  override name = 'MissingColumnsError';

  constructor(
    readonly missing: readonly string[],
    readonly found: readonly string[],
  ) {
    super(`missing required column(s): ${missing.join(', ')}; found: ${found.join(', ')}`);
  }
}
