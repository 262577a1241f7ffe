// Job and worker options of the pipeline, chosen once: retries, clean-up and what a failed child does to its run.
import { hostname } from 'node:os';
import type { JobsOptions, QueueOptions, WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '@autoconnect/config';

/** Attempts of every pipeline job: transient faults (Redis hiccup, killed process) are retried; bad input is an
 * UnrecoverableError and is not. */
export const JOB_ATTEMPTS = 3;

const backoff = { type: 'exponential', delay: 500 } as const;

/**
 * Jobs kept per queue once they ended, so Bull Board shows recent history while Redis holds a fixed amount:
 * completed and failed parents (one per run, each a summary once its children's results are dropped, see
 * forgetChildResults), and failed children with their error (a failed run has one or a few).
 */
export const KEEP_ENDED_JOBS = 100;

/**
 * Entries kept in each queue's event stream (BullMQ's, read by QueueEvents listeners, which the pipeline has
 * none of): BullMQ's default of 10,000 is the events of thousands of map jobs, kept for nobody.
 */
export const KEEP_QUEUE_EVENTS = 1_000;

/** Options of every Queue of the pipeline (producers, Bull Board): one prefix, one event stream bound. */
export function queueOptions(prefix: string, connection: Redis): QueueOptions {
  return { connection, prefix, streams: { events: { maxLen: KEEP_QUEUE_EVENTS } } };
}

/**
 * A child (split or map) that fails for good fails the parent (`failParentOnFailure`): a run with a lost chunk
 * has no exact results to publish, and without it the parent would wait in `waiting-children` forever.
 * A parent failed this way never runs its processor, so the child's final failure marks the run report
 * failed itself (see each role's `failed` handler). Completed children are removed: their results live in
 * the parent's processed hash (until the parent is done) and their partials in the run's range keys.
 */
export const childJobOptions: JobsOptions = {
  attempts: JOB_ATTEMPTS,
  backoff,
  failParentOnFailure: true,
  removeOnComplete: true,
  removeOnFail: { count: KEEP_ENDED_JOBS },
};

export const aggregateJobOptions: JobsOptions = {
  attempts: JOB_ATTEMPTS,
  backoff,
  removeOnComplete: { count: KEEP_ENDED_JOBS },
  removeOnFail: { count: KEEP_ENDED_JOBS },
};

/**
 * Options of every pipeline Worker. The lock (LOCK_DURATION_MS, 15 s by default) is how long a job of a
 * SIGKILLed process waits before another process takes it over: shorter than BullMQ's 30 s so a crash costs
 * less, yet long enough that a renewal (every half lock) is never missed by a busy event loop — one chunk's
 * work is milliseconds, and the split yields between reads. The stalled check runs as often as a lock can
 * expire; two stalls are allowed so one crash plus one slow restart do not fail a run.
 */
export function workerOptions(
  config: Pick<Config, 'REDIS_PREFIX' | 'LOCK_DURATION_MS'>,
  connection: Redis,
  role: string,
  concurrency = 1,
): WorkerOptions {
  return {
    // Recorded on each job it takes (`processedBy`): Bull Board shows which process ran what.
    name: `${role}-${hostname()}-${process.pid}`,
    connection,
    prefix: config.REDIS_PREFIX,
    concurrency,
    lockDuration: config.LOCK_DURATION_MS,
    stalledInterval: config.LOCK_DURATION_MS,
    maxStalledCount: 2,
  };
}
