// The file holds no non-empty line at all, so not even a header.
import { InputError } from './input-error.js';

export class EmptyFileError extends InputError {
  override name = 'EmptyFileError';

  constructor() {
    super('the file is empty');
  }
}
