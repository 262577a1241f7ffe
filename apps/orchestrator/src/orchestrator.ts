// The orchestrator role: a BullMQ worker on the `split` queue, plus the producer of `map` jobs.
import { Queue } from 'bullmq';
import type { Config, Logger } from '@autoconnect/config';
import { warmUp } from '@autoconnect/core';
import { ChunkLink, QueueName, startRoleWorker, type MapJobData, type RunningRole, type SplitJobData, type SplitJobResult } from '@autoconnect/pipeline';
import { createSplitProcessor } from './split.processor.js';

export function startOrchestrator(config: Config, logger: Logger): Promise<RunningRole> {
  return startRoleWorker<SplitJobData, SplitJobResult>(config, logger, {
    name: 'orchestrator',
    queue: QueueName.split,
    // One split at a time per process: there is one active run, and a split is I/O-bound on one file.
    concurrency: 1,
    warmUp,
    build({ redis, keys, runs }) {
      const chunks = ChunkLink.like(redis, 'orchestrator-chunks');
      const mapQueue = new Queue<MapJobData>(QueueName.map, { connection: redis, prefix: config.REDIS_PREFIX });
      return {
        processor: createSplitProcessor({ config, logger, redis, chunks, keys, runs, mapQueue }),
        async close() {
          await mapQueue.close();
          chunks.close();
        },
      };
    },
  });
}
