// The reference computation of contract §1–§2 (written apart from the core), as the pipeline tests use it.
import { readFile } from 'node:fs/promises';
import {
  isReferenceFailure,
  referenceCompute,
  type ReferenceOutcome,
} from '../../../packages/core/test/support/reference.js';

export async function referenceOf(path: string, maxRejectRatio = 0.5): Promise<ReferenceOutcome> {
  const outcome = referenceCompute(await readFile(path), { maxRejectRatio });
  if (isReferenceFailure(outcome)) throw new Error(`the reference rejects ${path}: ${outcome.error}`);
  return outcome;
}

/** The run report's `rejected` block the reference expects. */
export function expectedRejected(outcome: ReferenceOutcome) {
  return {
    by_reason: outcome.rejectedByReason,
    samples: outcome.samples.map(({ line, reason }) => ({ line, reason })),
  };
}
