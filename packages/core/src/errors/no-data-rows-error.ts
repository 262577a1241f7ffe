// The file has a header and nothing after it (empty lines aside).
import { InputError } from './input-error.js';

export class NoDataRowsError extends InputError {
  override name = 'NoDataRowsError';

  constructor() {
    super('the file has a header but no data rows');
  }
}
