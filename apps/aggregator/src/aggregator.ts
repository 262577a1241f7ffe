// The aggregator role: a BullMQ worker on the `aggregate` queue (the parents of the runs' flows).
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config, Logger } from '@autoconnect/config';
import {
  closeRedisConnection,
  createRedisConnection,
  failedChildKey,
  isFinalFailure,
  mapFailureMessage,
  pipelineKeys,
  QueueName,
  RunStore,
  workerOptions,
  type AggregateJobData,
  type AggregateJobResult,
  type MapJobData,
  type RunningRole,
} from '@autoconnect/pipeline';
import { createAggregateProcessor } from './aggregate.processor.js';

/**
 * The message users read for a run whose parent failed: the failing child's own reason, worded as the child's
 * role words it (whichever of the two marks the run first, users read the same message).
 */
async function parentFailureMessage(redis: Redis, prefix: string, reason: string): Promise<string> {
  const childKey = failedChildKey(reason);
  if (!childKey) return reason;
  const [data, childReason] = await redis.hmget(childKey, 'data', 'failedReason');
  if (!childReason) return 'a step of the run failed';
  if (childKey.startsWith(`${prefix}:${QueueName.map}:`) && data) {
    return mapFailureMessage(JSON.parse(data) as MapJobData, childReason);
  }
  return childReason;
}

export async function startAggregator(config: Config, logger: Logger): Promise<RunningRole> {
  const keys = pipelineKeys(config.REDIS_PREFIX);
  const redis = createRedisConnection(config, logger, 'worker', 'aggregator');
  const workerConnection = createRedisConnection(config, logger, 'worker', 'aggregator-jobs');
  const runs = new RunStore(redis, keys);
  const processor = createAggregateProcessor({ config, logger, redis, keys, runs });
  const worker = new Worker<AggregateJobData, AggregateJobResult>(QueueName.aggregate, processor, workerOptions(config, workerConnection, 'aggregator', 1));

  // A parent failed by its child (failParentOnFailure) is failed here without its processor running. The child's
  // own role normally marks the run first; this covers a child whose role died before it could.
  worker.on('failed', (job, err) => {
    logger.warn({ runId: job?.data.runId, attempt: job?.attemptsMade, err: err.message }, 'aggregate failed');
    if (!job || !isFinalFailure(job, err)) return;
    parentFailureMessage(redis, config.REDIS_PREFIX, err.message)
      .then((message) => runs.fail(job.data.runId, message))
      .catch((failErr: unknown) => logger.error({ err: failErr }, 'cannot mark run failed'));
  });
  worker.on('error', (err) => logger.error({ err }, 'aggregate worker error'));
  await worker.waitUntilReady();

  return {
    async close() {
      await worker.close();
      await Promise.all([closeRedisConnection(workerConnection), closeRedisConnection(redis)]);
    },
  };
}
