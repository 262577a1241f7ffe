// The shape every pipeline role shares: its own Redis connection and stores, a BullMQ worker on its queue
// (on a connection of its own, as BullMQ's blocking reads want) that checks each job's payload against the job
// catalogue before the role's processor sees it, a job's last failure marking its run failed, the watch for runs
// past their deadline, and a close that stops taking jobs, finishes the current one, then releases the role's
// resources.
import { Queue, Worker, type Job, type Processor } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config, Logger } from '@autoconnect/config';
import { closeRedisConnection, createRedisConnection } from './connections.js';
import { isRunId, type JobData, type JobResult, type MapJobData } from './job-catalogue.js';
import { queueOptions, workerOptions } from './job-options.js';
import { checkedPayload } from './job-payload.js';
import { QueueName } from './queue-names.js';
import { pipelineKeys } from './redis-keys.js';
import type { RunningRole } from './role-process.js';
import { RangeStore } from './range-store.js';
import { failOverdueRuns, watchDeadlines } from './run-deadline.js';
import { isFinalFailure } from './run-failure.js';
import { RunFlow } from './run-flow.js';
import { RunStore } from './run-store.js';

/** What a role's own code builds on the shared connection: its processor and what closes with it. */
export interface RoleParts<Q extends QueueName> {
  /** Receives jobs whose payload matches the queue's schema in the job catalogue. */
  processor: Processor<JobData<Q>, JobResult<Q>>;
  /** Closed once the worker has stopped, before the role's connections. */
  close?: () => Promise<void> | void;
}

/**
 * What a role's own code is given: the role's connection (for publishing results), the run reports, the runs'
 * plans and range outcomes, and the runs' BullMQ flows.
 */
export interface RoleContext {
  redis: Redis;
  runs: RunStore;
  ranges: RangeStore;
  flow: RunFlow;
}

export interface RoleWorkerOptions<Q extends QueueName> {
  /** Names the role's connections (`<name>`, `<name>-jobs`) and its log lines. */
  name: string;
  queue: Q;
  concurrency: number;
  build(context: RoleContext): RoleParts<Q>;
  /**
   * Run before the role takes jobs, once per process (the core's warmUp: its hot code compiled before the first
   * real chunk, not during the first run the process serves).
   */
  warmUp?(): unknown;
  /** The run's error when one of its jobs fails for good (default: the job's own error message). */
  failureMessage?(job: Job<JobData<Q>, JobResult<Q>>, err: Error, context: RoleContext): string | Promise<string>;
  /** Runs once a job has failed for good and its run is marked failed (clean-up of what the job leaves). */
  afterFinalFailure?(job: Job<JobData<Q>, JobResult<Q>>, context: RoleContext): Promise<void>;
}

/** Warm-ups already run in this process (roles started together, as `pnpm start` does, share one). */
const warmedUp = new Set<() => unknown>();

export async function startRoleWorker<Q extends QueueName>(config: Config, logger: Logger, options: RoleWorkerOptions<Q>): Promise<RunningRole> {
  const { name, queue } = options;
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
  // The parents' queue (removing the jobs of runs that end here, cleaning up parents) and the map queue (the
  // split and the reduce add map jobs to it).
  const aggregateQueue = new Queue(QueueName.aggregate, queueOptions(config.REDIS_PREFIX, redis));
  const mapQueue = new Queue<MapJobData>(QueueName.map, queueOptions(config.REDIS_PREFIX, redis));
  for (const producer of [aggregateQueue, mapQueue]) producer.on('error', (err: Error) => logger.debug({ err }, `${producer.name} queue error`));
  const flow = new RunFlow(redis, aggregateQueue, mapQueue);
  const context: RoleContext = { redis, runs, ranges: new RangeStore(redis, keys), flow };
  const parts = options.build(context);
  // A malformed job fails here, before the role's processor does any of its work.
  const processor: Processor<JobData<Q>, JobResult<Q>> = async (job, token, signal) => {
    checkedPayload(queue, job);
    return parts.processor(job, token, signal);
  };
  const worker = new Worker<JobData<Q>, JobResult<Q>>(queue, processor, workerOptions(config, workerConnection, name, options.concurrency));

  worker.on('failed', (job, err) => {
    // A malformed job may have no run id, or one that is not an id: only an id names a run to fail.
    const runId: unknown = job?.data?.runId;
    logger.warn({ runId, job: job?.id, attempt: job?.attemptsMade, err: err.message }, `${queue} job failed`);
    if (!job || !isFinalFailure(job, err) || !isRunId(runId)) return;
    Promise.resolve(options.failureMessage ? options.failureMessage(job, err, context) : err.message)
      .then((message) => runs.fail(runId, message))
      .then(() => options.afterFinalFailure?.(job, context))
      .catch((failErr: unknown) => logger.error({ err: failErr }, 'cannot mark run failed'));
  });
  worker.on('error', (err) => logger.error({ err }, `${queue} worker error`));
  await worker.waitUntilReady();
  // Every role looks for runs past their deadline, so one is ended whichever roles are up.
  const deadlines = watchDeadlines(() => failOverdueRuns(runs, flow, logger), logger);

  return {
    async close() {
      deadlines.stop();
      await worker.close();
      await parts.close?.();
      await Promise.all([aggregateQueue.close(), mapQueue.close()]);
      await Promise.all([closeRedisConnection(workerConnection), closeRedisConnection(redis)]);
    },
  };
}
