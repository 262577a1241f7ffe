// POST /api/process named a well-formed source that is not a file inside DATA_DIR.
import { ApiError } from './api-error.js';
import { printable } from './printable.js';

export class SourceNotFoundError extends ApiError {
  readonly statusCode = 404;
  constructor(readonly source: string) {
    super(`source '${printable(source)}' not found in DATA_DIR`);
    this.name = 'SourceNotFoundError';
  }
}
