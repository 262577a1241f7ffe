// The run-level verdict on rejected rows: a run fails when more than MAX_REJECT_RATIO of its data rows broke a rule.
import { NoDataRowsError } from '../errors/no-data-rows-error.js';
import { TooManyRejectsError } from '../errors/too-many-rejects-error.js';
import type { PartialMetrics } from '../types.js';

export function checkRejectRatio(partial: Pick<PartialMetrics, 'rowsValid' | 'rowsRejected'>, maxRejectRatio: number): void {
  const total = partial.rowsValid + partial.rowsRejected;
  if (total === 0) throw new NoDataRowsError();
  if (partial.rowsRejected / total > maxRejectRatio) {
    throw new TooManyRejectsError(partial.rowsRejected, total, maxRejectRatio);
  }
}
