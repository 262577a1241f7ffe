// The worker role: BullMQ workers on the `map` queue, WORKER_CONCURRENCY jobs at once.
import type { Config, Logger } from '@autoconnect/config';
import { warmUp } from '@autoconnect/core';
import { QueueName, RangeStore, startRoleWorker, type MapJobData, type MapJobResult, type RunningRole } from '@autoconnect/pipeline';
import { createMapProcessor } from './map.processor.js';

export function startWorker(config: Config, logger: Logger): Promise<RunningRole> {
  return startRoleWorker<MapJobData, MapJobResult>(config, logger, {
    name: 'map-worker',
    queue: QueueName.map,
    concurrency: config.WORKER_CONCURRENCY,
    warmUp,
    build: ({ redis, keys, runs }) => ({ processor: createMapProcessor({ config, logger, runs, ranges: new RangeStore(redis, keys) }) }),
  });
}
