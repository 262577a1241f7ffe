// Jobs of each pipeline queue by state, read from Redis at each scrape (BullMQ keeps the counts there).
import { Gauge, type Registry } from 'prom-client';
import type { JobState, Queue } from 'bullmq';

/** The states a job of the pipeline can be in; `waiting-children` is an aggregate job waiting for its map jobs. */
export const JOB_STATES: readonly JobState[] = ['waiting', 'waiting-children', 'prioritized', 'delayed', 'active', 'completed', 'failed'];

export class QueueMetrics {
  private readonly jobs: Gauge<'queue' | 'state'>;

  constructor(
    private readonly queues: readonly Queue[],
    registry: Registry,
  ) {
    this.jobs = new Gauge({
      name: 'autoconnect_queue_jobs',
      help: 'Jobs in each pipeline queue, by state, at the time of the scrape.',
      labelNames: ['queue', 'state'],
      registers: [registry],
    });
  }

  async update(): Promise<void> {
    const counts = await Promise.all(this.queues.map(async (queue) => [queue.name, await queue.getJobCounts(...JOB_STATES)] as const));
    for (const [queue, byState] of counts) {
      for (const state of JOB_STATES) this.jobs.set({ queue, state }, byState[state] ?? 0);
    }
  }

  /** Drops the values of the last successful read, so a scrape without Redis shows no stale counts. */
  clear(): void {
    this.jobs.reset();
  }
}
