// When a job's failure ends its run, and the message users read: a parent failed by its child never runs its own
// processor, so whoever sees a child's last failure marks the run report failed and frees the active-run slot.
import { UnrecoverableError, type Job } from 'bullmq';

/** True when BullMQ will not try the job again: bad input, or the last attempt used up. */
export function isFinalFailure(job: Pick<Job, 'attemptsMade' | 'opts'> | undefined, err: Error): boolean {
  if (err instanceof UnrecoverableError || err.name === 'UnrecoverableError') return true;
  if (!job) return false;
  return job.attemptsMade >= (job.opts.attempts ?? 1);
}

/** BullMQ's reason for a parent failed by a child (`failParentOnFailure`): "child <prefix>:<queue>:<id> failed". */
const CHILD_FAILED = /^child (.+) failed$/;

/** The key of the child job that failed a parent, from the parent's failure reason; null for other reasons. */
export function failedChildKey(parentFailedReason: string): string | null {
  return CHILD_FAILED.exec(parentFailedReason)?.[1] ?? null;
}
