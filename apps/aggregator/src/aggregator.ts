// The aggregator role: a BullMQ worker on the `aggregate` queue (the parents of the runs' flows), which also adds
// the map jobs of ranges to read again.
import type { Config, Logger } from '@autoconnect/config';
import { QueueName, startRoleWorker, type RunFlow, type RunningRole } from '@autoconnect/pipeline';
import { createAggregateProcessor } from './aggregate.processor.js';
import { warmUpReduce } from './warm-up.js';

/**
 * The message users read for a run whose parent failed: the failing child's own reason (whichever of the two
 * marks the run first, users read the same message).
 */
async function parentFailureMessage(flow: RunFlow, reason: string): Promise<string> {
  const childReason = await flow.failedChildReason(reason);
  if (childReason === null) return reason;
  return childReason || 'a step of the run failed';
}

export function startAggregator(config: Config, logger: Logger): Promise<RunningRole> {
  return startRoleWorker(config, logger, {
    name: 'aggregator',
    queue: QueueName.aggregate,
    concurrency: 1,
    warmUp: warmUpReduce,
    build: ({ redis, runs, ranges, flow }) => ({ processor: createAggregateProcessor({ config, logger, redis, runs, ranges, flow }) }),
    // A parent failed by its child (failParentOnFailure) is failed here without its processor running. The
    // child's own role normally marks the run first; this covers a child whose role died before it could.
    failureMessage: (_job, err, { flow }) => parentFailureMessage(flow, err.message),
    // A failed parent keeps its error for Bull Board, not its children: those still waiting are removed (they
    // would only find the run ended), and what it kept of the finished ones goes.
    async afterFinalFailure(job, { flow }) {
      await job.removeUnprocessedChildren();
      await flow.forgetChildResults(job.data.runId);
    },
  });
}
