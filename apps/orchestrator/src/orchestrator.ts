// The orchestrator role: a BullMQ worker on the `split` queue (it plans runs), plus the producer of `map` jobs.
import { Queue } from 'bullmq';
import type { Config, Logger } from '@autoconnect/config';
import { queueOptions, QueueName, RangeStore, startRoleWorker, type MapJobData, type RunningRole, type SplitJobData, type SplitJobResult } from '@autoconnect/pipeline';
import { createSplitProcessor } from './split.processor.js';

export function startOrchestrator(config: Config, logger: Logger): Promise<RunningRole> {
  return startRoleWorker<SplitJobData, SplitJobResult>(config, logger, {
    name: 'orchestrator',
    queue: QueueName.split,
    // Planning reads a header and adds jobs: one at a time is plenty (there is one active run).
    concurrency: 1,
    build({ redis, keys, runs }) {
      const mapQueue = new Queue<MapJobData>(QueueName.map, queueOptions(config.REDIS_PREFIX, redis));
      return {
        processor: createSplitProcessor({ config, logger, runs, ranges: new RangeStore(redis, keys), mapQueue }),
        close: () => mapQueue.close(),
      };
    },
  });
}
