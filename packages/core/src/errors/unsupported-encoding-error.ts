// The file starts with a UTF-16 byte order mark: a spreadsheet's "Unicode text" export, not a CSV this service
// reads (UTF-8 or Windows-1252). Said plainly instead of a header of nonsense.
import { InputError } from './input-error.js';

export class UnsupportedEncodingError extends InputError {
  override name = 'UnsupportedEncodingError';

  constructor(readonly encoding: string) {
    super(`the file is ${encoding} text (it starts with its byte order mark): export it as CSV in UTF-8 or Windows-1252`);
  }
}
