// The map jobs of a run, as the split adds them (one per range of the plan) and as the reduce adds them again
// (a range to read from a start it established, or in the file's encoding): always children of the run's
// aggregate job, with ids that make a second add of the same job a no-op.
import type { Queue } from 'bullmq';
import type { SourceEncoding } from '@autoconnect/core';
import { childJobOptions } from './job-options.js';
import { jobIds, type MapJobData, type RunPlan } from './job-catalogue.js';
import { QueueName } from './queue-names.js';

/** How one range is to be read. */
export interface RangeReading {
  range: number;
  start: number;
  end: number;
  startsAtRecord: boolean;
  encoding: SourceEncoding;
  generation: number;
}

/** Jobs added per round trip. */
const ADD_BATCH = 500;

/** The payload of the map job of one reading of a run's range. */
export function mapJobData(runId: string, plan: RunPlan, reading: RangeReading): MapJobData {
  return { runId, source: plan.source, snapshot: plan.snapshot, layouts: plan.layouts, limits: plan.limits, ...reading };
}

/**
 * Adds a map job per reading, children of the run's aggregate job `parent` (`{ id, queue }` of that job), in
 * batches; `beforeBatch(from)` runs before each (it may throw to stop: the run ended meanwhile, say). Called by
 * RunFlow, which knows the parent.
 */
export async function addMapJobs(
  mapQueue: Queue<MapJobData>,
  parent: { id: string; queue: string },
  runId: string,
  plan: RunPlan,
  readings: readonly RangeReading[],
  beforeBatch?: (from: number) => Promise<void>,
): Promise<void> {
  for (let from = 0; from < readings.length; from += ADD_BATCH) {
    await beforeBatch?.(from);
    const batch = readings.slice(from, from + ADD_BATCH).map((reading) => ({
      name: QueueName.map,
      data: mapJobData(runId, plan, reading),
      opts: { ...childJobOptions, jobId: jobIds.map(runId, reading.range, reading.generation), parent },
    }));
    await mapQueue.addBulk(batch);
  }
}
