// How far a run is, as one number for users.
import type { RunStatus } from './run-report.js';

export interface ProgressInput {
  status: RunStatus;
  bytesTotal: number;
  /** The header's bytes once planned, then each range's bytes once first mapped. */
  bytesRead: number;
}

/**
 * Planning counts for the first 2 %, mapping the ranges for the next 93 % (by bytes mapped), reducing for
 * the rest; 100 only once completed. Each stage starts above where the one before can end, and bytes mapped
 * only grow, so percent never goes back. Integer 0..100.
 */
export function runPercent(p: ProgressInput): number {
  switch (p.status) {
    case 'completed':
      return 100;
    case 'queued':
      return 0;
    case 'splitting':
      return 1;
    case 'reducing':
      return 97;
    case 'mapping': {
      const mapped = p.bytesTotal > 0 ? Math.min(1, p.bytesRead / p.bytesTotal) : 0;
      return 2 + Math.floor(93 * mapped);
    }
    default:
      // failed or cancelled: the caller passes the stage it ended in instead (see reportFromHash).
      return 0;
  }
}
