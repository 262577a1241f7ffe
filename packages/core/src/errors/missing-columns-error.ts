// The header lacks a required column; the message names what is missing and what was found (bounded: a
// binary file's first line can be anything).
import { printableList } from '../text/printable-text.js';
import { InputError } from './input-error.js';

export class MissingColumnsError extends InputError {
  override name = 'MissingColumnsError';

  constructor(
    readonly missing: readonly string[],
    readonly found: readonly string[],
  ) {
    super(`missing required column(s): ${missing.join(', ')}; found: ${printableList(found.map((name) => (name === '' ? '(empty)' : name)))}`);
  }
}
