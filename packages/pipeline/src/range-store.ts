// A run's plan and its ranges' mapped outcomes in Redis: the split writes the plan, each map job commits its
// range's outcome (replacing only an older generation's), the reduce reads them back. One owner for these
// keys and the script that writes them.
import type { Redis } from 'ioredis';
import type { CityPartial, RangeOutcome, RejectReason, RejectSample, SourceEncoding, TextKind } from '@autoconnect/core';
import type { MapJobData, RunPlan } from './job-catalogue.js';
import { parseCity, serialiseCity } from './partial-json.js';
import type { PipelineKeys } from './redis-keys.js';
import { commitRangeScript } from './scripts.js';

/** What is kept of a range's mapping besides its cities' partials: enough for the reduce's check and totals. */
export interface RangeMeta {
  start: number;
  nextStart: number;
  lines: number;
  text: TextKind;
  encoding: SourceEncoding;
  generation: number;
  rowsValid: number;
  rowsRejected: number;
  rejectedByReason: Partial<Record<RejectReason, number>>;
  /** Line numbers count from 1 at `start`. */
  samples: RejectSample[];
  /** The file was longer than its snapshot when the range was read. */
  grew: boolean;
}

/** How long a range's partials may wait under their incoming key (only a worker that died leaves them there). */
const INCOMING_TTL_MS = 10 * 60_000;

export type CommitOutcome = 'stored' | 'superseded' | 'run-ended';

export class RangeStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: PipelineKeys,
  ) {}

  async savePlan(runId: string, plan: RunPlan): Promise<void> {
    await this.redis.set(this.keys.run(runId).plan, JSON.stringify(plan));
  }

  async plan(runId: string): Promise<RunPlan | null> {
    const json = await this.redis.get(this.keys.run(runId).plan);
    return json === null ? null : (JSON.parse(json) as RunPlan);
  }

  /** Stores the outcome of mapping `job`'s range (see commitRangeScript). */
  async commit(job: MapJobData, outcome: RangeOutcome, grew: boolean): Promise<CommitOutcome> {
    const run = this.keys.run(job.runId);
    const { partial } = outcome;
    const villes = Object.keys(partial.cities);
    const incoming = run.incomingRange(job.range, job.generation);
    if (villes.length > 0) {
      const fields: string[] = [];
      for (const ville of villes) fields.push(ville, serialiseCity(partial.cities[ville]));
      await this.redis.multi().del(incoming).hset(incoming, ...fields).pexpire(incoming, INCOMING_TTL_MS).exec();
    }
    const meta: RangeMeta = {
      start: outcome.start,
      nextStart: outcome.nextStart,
      lines: outcome.lines,
      text: outcome.text,
      encoding: outcome.encoding,
      generation: job.generation,
      rowsValid: partial.rowsValid,
      rowsRejected: partial.rowsRejected,
      rejectedByReason: partial.rejectedByReason,
      samples: partial.samples,
      grew,
    };
    const reasons = Object.entries(partial.rejectedByReason).flatMap(([reason, count]) => [reason, count ?? 0]);
    const stored = await commitRangeScript.run(
      this.redis,
      [run.report, run.ranges, run.rangeGenerations, run.range(job.range), incoming],
      [job.range, job.generation, JSON.stringify(meta), villes.length, job.end - job.start, partial.rowsValid, partial.rowsRejected, ...reasons],
    );
    return stored === 1 ? 'stored' : stored === 0 ? 'superseded' : 'run-ended';
  }

  /** Every stored range outcome, by range number (undefined where none is stored). */
  async metas(runId: string, ranges: number): Promise<Array<RangeMeta | undefined>> {
    const hash = await this.redis.hgetall(this.keys.run(runId).ranges);
    const metas: Array<RangeMeta | undefined> = new Array(ranges).fill(undefined);
    for (const [field, json] of Object.entries(hash)) {
      const n = Number(field);
      if (Number.isInteger(n) && n >= 0 && n < ranges) metas[n] = JSON.parse(json) as RangeMeta;
    }
    return metas;
  }

  /** One range's partial metrics, city by city. */
  async cities(runId: string, range: number): Promise<Array<[string, CityPartial]>> {
    const hash = await this.redis.hgetall(this.keys.run(runId).range(range));
    return Object.entries(hash).map(([ville, json]) => [ville, parseCity(json)]);
  }
}
