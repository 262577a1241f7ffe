// The BullMQ jobs of a run's flow once the run has ended (cancelled, past its deadline, failed): what no process
// holds is removed, so nothing of the run waits in a queue forever; and what a parent keeps of its children is
// dropped, so no per-range structure of an ended run outlives it in Redis.
import { Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobIds } from './job-catalogue.js';

/** What discarding a run's jobs did. */
export type DiscardOutcome = 'flow-removed' | 'waiting-children-removed' | 'no-flow';

export class RunFlow {
  /** `aggregateQueue`: the queue of the runs' parent jobs (its connection is used for every command). */
  constructor(private readonly aggregateQueue: Queue) {}

  /**
   * Removes an ended run's jobs that no process holds: the whole flow (parent, split, map jobs) when none of it is
   * active; otherwise the children still waiting. The jobs being processed then finish harmlessly (every step
   * checks that its run has not ended, and no write of an ended run is stored), and the parent, once they are
   * done, runs only to find the run ended.
   */
  async discard(runId: string): Promise<DiscardOutcome> {
    const parentId = jobIds.aggregate(runId);
    // 0 when the parent or one of its children is locked by a process.
    if ((await this.aggregateQueue.remove(parentId, { removeChildren: true })) === 1) return 'flow-removed';
    const parent = await Job.fromId(this.aggregateQueue, parentId);
    if (!parent) return 'no-flow';
    await parent.removeUnprocessedChildren();
    return 'waiting-children-removed';
  }
}

/**
 * Deletes the results a parent job keeps of its children (BullMQ's `<queue>:<id>:processed` hash: one entry per
 * map job, thousands for a big run), once the parent is done with them: the run's own data is elsewhere, and a
 * parent is kept after its run (Bull Board's history) without them.
 */
export async function forgetChildResults(redis: Redis, parent: Pick<Job, 'id' | 'queueQualifiedName'>): Promise<void> {
  await redis.del(`${parent.queueQualifiedName}:${parent.id}:processed`);
}
