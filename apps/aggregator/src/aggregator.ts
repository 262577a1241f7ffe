// The aggregator role: a BullMQ worker on the `aggregate` queue (the parents of the runs' flows), which also adds
// the map jobs of ranges to read again.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config, Logger } from '@autoconnect/config';
import {
  failedChildKey,
  forgetChildResults,
  queueOptions,
  QueueName,
  RangeStore,
  startRoleWorker,
  type AggregateJobData,
  type AggregateJobResult,
  type MapJobData,
  type RunningRole,
} from '@autoconnect/pipeline';
import { createAggregateProcessor } from './aggregate.processor.js';
import { warmUpReduce } from './warm-up.js';

/**
 * The message users read for a run whose parent failed: the failing child's own reason (whichever of the two
 * marks the run first, users read the same message).
 */
async function parentFailureMessage(redis: Redis, reason: string): Promise<string> {
  const childKey = failedChildKey(reason);
  if (!childKey) return reason;
  const childReason = await redis.hget(childKey, 'failedReason');
  return childReason || 'a step of the run failed';
}

export function startAggregator(config: Config, logger: Logger): Promise<RunningRole> {
  return startRoleWorker<AggregateJobData, AggregateJobResult>(config, logger, {
    name: 'aggregator',
    queue: QueueName.aggregate,
    concurrency: 1,
    warmUp: warmUpReduce,
    build: ({ redis, keys, runs }) => {
      const mapQueue = new Queue<MapJobData>(QueueName.map, queueOptions(config.REDIS_PREFIX, redis));
      return {
        processor: createAggregateProcessor({ config, logger, redis, runs, ranges: new RangeStore(redis, keys), mapQueue }),
        close: () => mapQueue.close(),
      };
    },
    // A parent failed by its child (failParentOnFailure) is failed here without its processor running. The
    // child's own role normally marks the run first; this covers a child whose role died before it could.
    failureMessage: (_job, err, redis) => parentFailureMessage(redis, err.message),
    // A failed parent keeps its error for Bull Board, not its children: those still waiting are removed (they
    // would only find the run ended), and what it kept of the finished ones goes.
    async afterFinalFailure(job, { redis }) {
      await job.removeUnprocessedChildren();
      await forgetChildResults(redis, job);
    },
  });
}
