// GET /api/jobs/:id for an id no run has.
import { ApiError } from './api-error.js';
import { printable } from './printable.js';

export class JobNotFoundError extends ApiError {
  readonly statusCode = 404;
  constructor(readonly jobId: string) {
    super(`unknown job '${printable(jobId)}'`);
    this.name = 'JobNotFoundError';
  }
}
