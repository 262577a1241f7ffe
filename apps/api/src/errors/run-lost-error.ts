// GET /api/jobs/:id for a run this API process saw (it started or reported it) that Redis no longer holds:
// said as such rather than as an id that never existed.
import { ApiError } from './api-error.js';

/** What is known of how the run left Redis. */
export type RunLoss = 'redis-restarted' | 'deleted' | 'unknown';

const WHY: Record<RunLoss, string> = {
  'redis-restarted': 'Redis restarted since then without keeping its data (no persistence), so the run\'s report and data are lost',
  deleted: 'Redis no longer holds its report (it left the run history, or its keys were deleted)',
  unknown: 'Redis lost its data (a restart without persistence) or the run left the run history',
};

export class RunLostError extends ApiError {
  readonly statusCode = 404;
  constructor(readonly runId: string, loss: RunLoss) {
    super(`run '${runId}' is no longer in Redis: this API saw it, but ${WHY[loss]}; start a new run with POST /api/process`);
    this.name = 'RunLostError';
  }
}
