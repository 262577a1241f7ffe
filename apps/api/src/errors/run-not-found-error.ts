// GET /api/jobs/:id for an id no run has (the message says `job`, the API's word for a run on the wire).
import { ApiError } from './api-error.js';
import { printable } from './printable.js';

export class RunNotFoundError extends ApiError {
  readonly statusCode = 404;
  constructor(readonly runId: string) {
    super(`unknown job '${printable(runId)}'`);
    this.name = 'RunNotFoundError';
  }
}
