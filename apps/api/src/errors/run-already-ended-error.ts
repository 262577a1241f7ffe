// POST /api/jobs/:id/cancel for a run that has already ended: there is nothing left to cancel.
import { ApiError } from './api-error.js';

export class RunAlreadyEndedError extends ApiError {
  readonly statusCode = 409;
  constructor(readonly runId: string, readonly status: string) {
    super(`run ${runId} has already ended (${status}); only a queued, splitting, mapping or reducing run can be cancelled`);
    this.name = 'RunAlreadyEndedError';
  }
}
