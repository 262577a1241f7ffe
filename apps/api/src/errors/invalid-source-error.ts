// POST /api/process named a source that is not a .csv file name confined to DATA_DIR.
import { ApiError } from './api-error.js';
import { printable } from './printable.js';

export class InvalidSourceError extends ApiError {
  readonly statusCode = 400;
  constructor(readonly source: string, reason: string) {
    super(`invalid source '${printable(source)}': ${reason}; expected a .csv file name inside DATA_DIR, relative, without '..'`);
    this.name = 'InvalidSourceError';
  }
}
