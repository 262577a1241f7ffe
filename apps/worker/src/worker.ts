// The worker role: BullMQ workers on the `map` queue, WORKER_CONCURRENCY jobs at once.
import type { Config, Logger } from '@autoconnect/config';
import { warmUp } from '@autoconnect/core';
import { QueueName, startRoleWorker, type RunningRole } from '@autoconnect/pipeline';
import { createMapProcessor } from './map.processor.js';

export function startWorker(config: Config, logger: Logger): Promise<RunningRole> {
  return startRoleWorker(config, logger, {
    name: 'map-worker',
    queue: QueueName.map,
    concurrency: config.WORKER_CONCURRENCY,
    warmUp,
    build: ({ runs, ranges }) => ({ processor: createMapProcessor({ config, logger, runs, ranges }) }),
  });
}
