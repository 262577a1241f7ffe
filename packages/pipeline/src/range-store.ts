// A run's plan and its ranges' mapped outcomes in Redis: the split writes the plan, each map job commits its
// range's outcome (replacing only an older generation's), the reduce reads them back. One owner for these
// keys and the script that writes them.
import type { Redis } from 'ioredis';
import type { VillePartial, RangeOutcome, RejectReason, RejectSample, SourceEncoding, TextKind } from '@autoconnect/core';
import type { MapJobData, RunPlan } from './job-catalogue.js';
import { parseVille } from './partial-json.js';
import type { PipelineKeys } from './redis-keys.js';
import { scripted, type ScriptedRedis } from './scripts.js';

/** What is kept of a range's mapping besides its villes' partials: enough for the reduce's check and totals. */
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

/** Villes per HSET when a range's partials are written, and per HSCAN when they are read. */
const HSET_BATCH = 1000;
const CITIES_BATCH = 1000;

export type CommitOutcome = 'stored' | 'superseded' | 'run-ended';

export class RangeStore {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly keys: PipelineKeys,
  ) {
    this.redis = scripted(redis);
  }

  async savePlan(runId: string, plan: RunPlan): Promise<void> {
    await this.redis.set(this.keys.run(runId).plan, JSON.stringify(plan));
  }

  async plan(runId: string): Promise<RunPlan | null> {
    const json = await this.redis.get(this.keys.run(runId).plan);
    return json === null ? null : (JSON.parse(json) as RunPlan);
  }

  /** Stores the outcome of mapping `job`'s range (see the commitRange script). */
  async commit(job: MapJobData, outcome: RangeOutcome, grew: boolean): Promise<CommitOutcome> {
    const run = this.keys.run(job.runId);
    const incoming = run.incomingRange(job.range, job.generation);
    if (outcome.villes > 0) {
      // A batch at a time: a range of 100,000 villes is never held whole as text, nor passed as one spread. The
      // incoming key is only renamed into place by the commit, so writing it in steps is safe.
      await this.redis.del(incoming);
      let fields: string[] = [];
      for (const [ville, json] of outcome.storedVilles()) {
        fields.push(ville, json);
        if (fields.length >= 2 * HSET_BATCH) {
          await this.writeIncoming(incoming, fields);
          fields = [];
        }
      }
      if (fields.length > 0) await this.writeIncoming(incoming, fields);
    }
    const meta: RangeMeta = {
      start: outcome.start,
      nextStart: outcome.nextStart,
      lines: outcome.lines,
      text: outcome.text,
      encoding: outcome.encoding,
      generation: job.generation,
      rowsValid: outcome.rowsValid,
      rowsRejected: outcome.rowsRejected,
      rejectedByReason: outcome.rejectedByReason,
      samples: outcome.samples,
      grew,
    };
    const reasons = Object.entries(outcome.rejectedByReason).flatMap(([reason, count]) => [reason, count ?? 0]);
    const stored = await this.redis.commitRange(
      ...[run.report, run.ranges, run.rangeGenerations, run.range(job.range), incoming],
      ...[job.range, job.generation, JSON.stringify(meta), outcome.villes, job.end - job.start, outcome.rowsValid, outcome.rowsRejected, ...reasons],
    );
    return stored === 1 ? 'stored' : stored === 0 ? 'superseded' : 'run-ended';
  }

  /**
   * A batch of partials under the incoming key, with its time to live in the same transaction: a worker that dies
   * (or a run that ends) at any point leaves nothing that outlives INCOMING_TTL_MS.
   */
  private async writeIncoming(incoming: string, fields: string[]): Promise<void> {
    const replies = await this.redis.multi().hset(incoming, ...fields).pexpire(incoming, INCOMING_TTL_MS).exec();
    const failed = replies?.find(([err]) => err !== null);
    if (failed) throw failed[0];
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

  /**
   * One range's partial metrics, ville by ville in their stored form (the core's serialiseVille), a batch at a time
   * (HSCAN): a range of a file with many villes is never held whole as text.
   */
  async *storedVilles(runId: string, range: number): AsyncGenerator<[string, string]> {
    const key = this.keys.run(runId).range(range);
    let cursor = '0';
    do {
      const [next, fields] = await this.redis.hscan(key, cursor, 'COUNT', CITIES_BATCH);
      for (let i = 0; i < fields.length; i += 2) yield [fields[i], fields[i + 1]];
      cursor = next;
    } while (cursor !== '0');
  }

  /** The same, all of them, each read back as VillePartial (tests, tools). */
  async villes(runId: string, range: number): Promise<Array<[string, VillePartial]>> {
    const villes: Array<[string, VillePartial]> = [];
    for await (const [ville, json] of this.storedVilles(runId, range)) villes.push([ville, parseVille(json)]);
    return villes;
  }
}
