// A run's BullMQ flow, the one owner of what the pipeline does with BullMQ's jobs and keys beyond processing them:
// map jobs added as children of the run's parent job (by the split, and by the reduce for ranges read again);
// once the run has ended (cancelled, past its deadline, failed), what no process holds is removed, so nothing of
// the run waits in a queue forever; what a parent keeps of its children is dropped, so no per-range structure of
// an ended run outlives it in Redis; and a parent failed by a child tells which child and why.
import { Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobIds, type MapJobData, type RunPlan } from './job-catalogue.js';
import { addMapJobs, type RangeReading } from './map-jobs.js';
import { failedChildKey } from './run-failure.js';

/** What discarding a run's jobs did. */
export type DiscardOutcome = 'flow-removed' | 'waiting-children-removed' | 'no-flow';

export class RunFlow {
  /**
   * `redis`: the connection of `aggregateQueue`, the queue of the runs' parent jobs; `mapQueue`: where map jobs are
   * added, for the roles that add them.
   */
  constructor(
    private readonly redis: Redis,
    private readonly aggregateQueue: Queue,
    private readonly mapQueue?: Queue<MapJobData>,
  ) {}

  /**
   * Adds a map job per reading of the run's ranges, children of the run's parent job, in batches; job ids follow
   * the ranges and generations, so adding the same reading again adds nothing. `beforeBatch(from)` runs before
   * each batch (it may throw to stop: the run ended meanwhile, say).
   */
  async addMapJobs(runId: string, plan: RunPlan, readings: readonly RangeReading[], beforeBatch?: (from: number) => Promise<void>): Promise<void> {
    if (!this.mapQueue) throw new Error('this RunFlow was made without the map queue: it adds no map jobs');
    const parent = { id: jobIds.aggregate(runId), queue: this.aggregateQueue.qualifiedName };
    await addMapJobs(this.mapQueue, parent, runId, plan, readings, beforeBatch);
  }

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

  /**
   * Deletes the results the run's parent job keeps of its children (BullMQ's `<queue>:<id>:processed` hash: one
   * entry per map job, thousands for a big run), once the parent is done with them: the run's own data is
   * elsewhere, and a parent is kept after its run (Bull Board's history) without them.
   */
  async forgetChildResults(runId: string): Promise<void> {
    await this.redis.del(this.aggregateQueue.toKey(`${jobIds.aggregate(runId)}:processed`));
  }

  /**
   * For a parent failed by a child (`failParentOnFailure`), the child's own failure reason ('' when it has none
   * any more); null when `parentFailedReason` is not a child's failure.
   */
  async failedChildReason(parentFailedReason: string): Promise<string | null> {
    const childKey = failedChildKey(parentFailedReason);
    if (childKey === null) return null;
    return (await this.redis.hget(childKey, 'failedReason')) ?? '';
  }
}
