// The shape every pipeline role shares: its own Redis connection and run store, a BullMQ worker on its queue
// (on a connection of its own, as BullMQ's blocking reads want), a job's last failure marking its run failed,
// the watch for runs past their deadline, and a close that stops taking jobs, finishes the current one, then
// releases the role's resources.
import { Queue, Worker, type Job, type Processor } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config, Logger } from '@autoconnect/config';
import { closeRedisConnection, createRedisConnection } from './connections.js';
import { queueOptions, workerOptions } from './job-options.js';
import { QueueName } from './queue-names.js';
import { pipelineKeys, type PipelineKeys } from './redis-keys.js';
import type { RunningRole } from './role-process.js';
import { failOverdueRuns, watchDeadlines } from './run-deadline.js';
import { isFinalFailure } from './run-failure.js';
import { RunFlow } from './run-flow.js';
import { RunStore } from './run-store.js';

/** What a role's own code builds on the shared connection: its processor and what closes with it. */
export interface RoleParts<Data, Result> {
  processor: Processor<Data, Result>;
  /** Closed once the worker has stopped, before the role's connections (queues it adds to, links...). */
  close?: () => Promise<void> | void;
}

/** What a role's own code is given: the role's connection, the run store, and the runs' flows. */
export interface RoleContext {
  redis: Redis;
  keys: PipelineKeys;
  runs: RunStore;
  flow: RunFlow;
}

export interface RoleWorkerOptions<Data extends { runId: string }, Result> {
  /** Names the role's connections (`<name>`, `<name>-jobs`) and its log lines. */
  name: string;
  queue: QueueName;
  concurrency: number;
  build(context: RoleContext): RoleParts<Data, Result>;
  /**
   * Run before the role takes jobs, once per process (the core's warmUp: its hot code compiled before the first
   * real chunk, not during the first run the process serves).
   */
  warmUp?(): unknown;
  /** The run's error when one of its jobs fails for good (default: the job's own error message). */
  failureMessage?(job: Job<Data, Result>, err: Error, redis: Redis): string | Promise<string>;
  /** Runs once a job has failed for good and its run is marked failed (clean-up of what the job leaves). */
  afterFinalFailure?(job: Job<Data, Result>, context: RoleContext): Promise<void>;
}

/** Warm-ups already run in this process (roles started together, as `pnpm start` does, share one). */
const warmedUp = new Set<() => unknown>();

export async function startRoleWorker<Data extends { runId: string }, Result>(
  config: Config,
  logger: Logger,
  options: RoleWorkerOptions<Data, Result>,
): Promise<RunningRole> {
  const { name } = options;
  if (options.warmUp && !warmedUp.has(options.warmUp)) {
    warmedUp.add(options.warmUp);
    const started = performance.now();
    const outcome = options.warmUp();
    logger.debug({ ms: Math.round(performance.now() - started), outcome }, 'warmed up');
  }
  const keys = pipelineKeys(config.REDIS_PREFIX);
  const redis = createRedisConnection(config, logger, 'worker', name);
  const workerConnection = createRedisConnection(config, logger, 'worker', `${name}-jobs`);
  const runs = new RunStore(redis, keys);
  // The parents' queue, for removing the jobs of runs that end here (RUN_TIMEOUT_MS) and cleaning up parents.
  const aggregateQueue = new Queue(QueueName.aggregate, queueOptions(config.REDIS_PREFIX, redis));
  aggregateQueue.on('error', (err: Error) => logger.debug({ err }, 'aggregate queue error'));
  const context: RoleContext = { redis, keys, runs, flow: new RunFlow(aggregateQueue) };
  const parts = options.build(context);
  const worker = new Worker<Data, Result>(options.queue, parts.processor, workerOptions(config, workerConnection, name, options.concurrency));

  worker.on('failed', (job, err) => {
    logger.warn({ runId: job?.data.runId, job: job?.id, attempt: job?.attemptsMade, err: err.message }, `${options.queue} job failed`);
    if (!job || !isFinalFailure(job, err)) return;
    Promise.resolve(options.failureMessage ? options.failureMessage(job, err, redis) : err.message)
      .then((message) => runs.fail(job.data.runId, message))
      .then(() => options.afterFinalFailure?.(job, context))
      .catch((failErr: unknown) => logger.error({ err: failErr }, 'cannot mark run failed'));
  });
  worker.on('error', (err) => logger.error({ err }, `${options.queue} worker error`));
  await worker.waitUntilReady();
  // Every role looks for runs past their deadline, so one is ended whichever roles are up.
  const deadlines = watchDeadlines(() => failOverdueRuns(runs, context.flow, logger), logger);

  return {
    async close() {
      deadlines.stop();
      await worker.close();
      await parts.close?.();
      await aggregateQueue.close();
      await Promise.all([closeRedisConnection(workerConnection), closeRedisConnection(redis)]);
    },
  };
}
