// The orchestrator role: a BullMQ worker on the `split` queue (it plans runs), plus the producer of `map` jobs.
import type { Config, Logger } from '@autoconnect/config';
import { QueueName, startRoleWorker, type RunningRole } from '@autoconnect/pipeline';
import { createSplitProcessor } from './split.processor.js';

export function startOrchestrator(config: Config, logger: Logger): Promise<RunningRole> {
  return startRoleWorker(config, logger, {
    name: 'orchestrator',
    queue: QueueName.split,
    // Planning reads a header and adds jobs: one at a time is plenty (there is one active run).
    concurrency: 1,
    build: ({ runs, ranges, flow }) => ({ processor: createSplitProcessor({ config, logger, runs, ranges, flow }) }),
  });
}
