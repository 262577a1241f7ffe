// The worker role: BullMQ workers on the `map` queue, WORKER_CONCURRENCY jobs at once.
import type { Config, Logger } from '@autoconnect/config';
import { warmUp } from '@autoconnect/core';
import { ChunkLink, mapFailureMessage, QueueName, startRoleWorker, type MapJobData, type MapJobResult, type RunningRole } from '@autoconnect/pipeline';
import { createMapProcessor } from './map.processor.js';

export function startWorker(config: Config, logger: Logger): Promise<RunningRole> {
  return startRoleWorker<MapJobData, MapJobResult>(config, logger, {
    name: 'map-worker',
    queue: QueueName.map,
    concurrency: config.WORKER_CONCURRENCY,
    warmUp,
    build({ redis, keys, runs }) {
      const chunks = ChunkLink.like(redis, 'map-worker-chunks');
      return { processor: createMapProcessor({ logger, redis, chunks, keys, runs }), close: () => chunks.close() };
    },
    failureMessage: (job, err) => mapFailureMessage(job.data, err.message),
  });
}
