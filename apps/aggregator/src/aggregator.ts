// The aggregator role: a BullMQ worker on the `aggregate` queue (the parents of the runs' flows).
import type { Redis } from 'ioredis';
import type { Config, Logger } from '@autoconnect/config';
import {
  failedChildKey,
  mapFailureMessage,
  QueueName,
  startRoleWorker,
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

export function startAggregator(config: Config, logger: Logger): Promise<RunningRole> {
  return startRoleWorker<AggregateJobData, AggregateJobResult>(config, logger, {
    name: 'aggregator',
    queue: QueueName.aggregate,
    concurrency: 1,
    build: ({ redis, keys, runs }) => ({ processor: createAggregateProcessor({ config, logger, redis, keys, runs }) }),
    // A parent failed by its child (failParentOnFailure) is failed here without its processor running. The
    // child's own role normally marks the run first; this covers a child whose role died before it could.
    failureMessage: (_job, err, redis) => parentFailureMessage(redis, config.REDIS_PREFIX, err.message),
  });
}
