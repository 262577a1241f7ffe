import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { createLogger } from '@autoconnect/config';
import { createPipelineClient, type PipelineClient } from '../src/pipeline-client.js';
import { publishResults, KEEP_RESULTS } from '../src/publish-results.js';
import { RunConflictError } from '../src/run-conflict-error.js';
import { RunStore } from '../src/run-store.js';
import { pipelineKeys } from '../src/redis-keys.js';
import { RangeStore } from '../src/range-store.js';
import type { MapJobData } from '../src/job-catalogue.js';
import { serialiseVille, type RangeOutcome } from '@autoconnect/core';
import { deleteKeys, freshPrefix, REDIS_URL } from '@autoconnect/testkit';
import { resultsFixture } from './support/results-fixture.js';

const logger = createLogger('test', 'silent');

describe('PipelineClient', () => {
  let prefix: string;
  let client: PipelineClient;
  let redis: Redis;

  beforeEach(() => {
    prefix = freshPrefix('pipeline');
    client = createPipelineClient({ REDIS_URL, REDIS_PREFIX: prefix }, logger);
    redis = new Redis(REDIS_URL);
  });

  afterEach(async () => {
    await client.close();
    await redis.quit();
    await deleteKeys(prefix);
  });

  it('publishes results sent in pieces (several APPENDs) as the very text the whole results give, leaving no incoming key', async () => {
    const whole = await client.startRun({ source: 'transactions.csv' });
    const now = new Date('2026-01-02T03:04:05.000Z');
    // Villes with long names, so the text passes a megabyte and goes in several commands.
    const results = resultsFixture(4);
    for (let i = 0; i < 3000; i += 1) results.ca_mensuel[`${'V'.repeat(400)}${i}`] = { '2023-01': i };
    const json = JSON.stringify(results);
    expect(json.length).toBeGreaterThan(1 << 20);
    expect(await publishResults(redis, prefix, { runId: whole.job_id, results, now })).toBe(true);
    const wholeText = await redis.get(pipelineKeys(prefix).results(whole.job_id));

    const pieced = await client.startRun({ source: 'transactions.csv' });
    const pieces = json.match(/[\s\S]{1,1000}/g)!;
    expect(await publishResults(redis, prefix, { runId: pieced.job_id, results: { pieces, rowsValid: 4, rowsRejected: results.rows_rejected }, now })).toBe(true);
    const piecedText = await redis.get(pipelineKeys(prefix).results(pieced.job_id));
    expect(piecedText).toBe(wholeText!.replace(whole.job_id, pieced.job_id));
    expect(await client.getCurrentResults()).toEqual({ runId: pieced.job_id, publishedAt: now.toISOString(), results });
    expect(await redis.exists(pipelineKeys(prefix).run(pieced.job_id).incomingResults)).toBe(0);
    expect(await client.getRun(pieced.job_id)).toMatchObject({ status: 'completed', progress: { rows_valid: 4 } });
  });

  it('answers no results and no runs before anything happened', async () => {
    expect(await client.getCurrentResults()).toBeNull();
    expect(await client.currentRunId()).toBeNull();
    expect(await client.listRuns(10)).toEqual([]);
    expect(await client.getRun('nope')).toBeNull();
    expect(await client.activeRunId()).toBeNull();
    expect(await client.ping()).toBe(true);
    expect(client.queues.map((q) => q.name).sort()).toEqual(['aggregate', 'map', 'split']);
  });

  it('starts a run as a queued flow and refuses a second one while it is active', async () => {
    const run = await client.startRun({ source: 'transactions.csv' });
    expect(run.job_id).toMatch(/^[A-Za-z0-9_-]{21}$/);
    expect(run).toMatchObject({ status: 'queued', source: 'transactions.csv', finished_at: null, duration_ms: null });
    expect(run.progress).toEqual({
      percent: 0, bytes_total: 0, bytes_read: 0, chunks_total: 0, chunks_done: 0, rows_valid: 0, rows_rejected: 0,
    });
    expect(Date.parse(run.created_at)).not.toBeNaN();

    const [aggregate, split] = [client.queues.find((q) => q.name === 'aggregate')!, client.queues.find((q) => q.name === 'split')!];
    expect(await aggregate.getJobState(run.job_id)).toBe('waiting-children');
    expect(await split.getJobState(`${run.job_id}-split`)).toBe('waiting');

    const conflict = await client.startRun({ source: 'other.csv' }).catch((err: unknown) => err);
    expect(conflict).toBeInstanceOf(RunConflictError);
    expect((conflict as RunConflictError).activeRunId).toBe(run.job_id);
    expect(await client.activeRunId()).toBe(run.job_id);
    expect((await client.listRuns(10)).map((r) => r.job_id)).toEqual([run.job_id]);
  });

  it('frees the slot when a run fails, and a failed run publishes nothing', async () => {
    const run = await client.startRun({ source: 'a.csv' });
    const store = new RunStore(redis, pipelineKeys(prefix));
    expect(await store.fail(run.job_id, 'the file is empty')).toBe(true);
    expect(await store.fail(run.job_id, 'second failure')).toBe(false);
    const failed = await client.getRun(run.job_id);
    expect(failed).toMatchObject({ status: 'failed', error: 'the file is empty' });
    expect(failed!.finished_at).not.toBeNull();
    expect(failed!.duration_ms).toBeGreaterThanOrEqual(0);
    expect(await client.activeRunId()).toBeNull();

    expect(await publishResults(redis, prefix, { runId: run.job_id, results: resultsFixture(5) })).toBe(false);
    expect(await client.getCurrentResults()).toBeNull();

    const next = await client.startRun({ source: 'b.csv' });
    expect((await client.listRuns(10)).map((r) => r.job_id)).toEqual([next.job_id, run.job_id]);
  });

  it('publishes atomically, announces the run, completes its report and keeps the last runs readable', async () => {
    const heard: string[] = [];
    const unsubscribe = client.onResultsPublished((runId) => heard.push(runId));
    // Let the subscription reach Redis before publishing.
    const sub = new Redis(REDIS_URL);
    const deadline = Date.now() + 5_000;
    while (((await sub.pubsub('NUMSUB', pipelineKeys(prefix).resultsChannel)) as [string, number])[1] < 1) {
      if (Date.now() > deadline) throw new Error('subscription never arrived');
      await new Promise((r) => setTimeout(r, 10));
    }
    await sub.quit();

    const run = await client.startRun({ source: 'transactions.csv' });
    const byReason = { invalid_date: 2 };
    const samples = [{ line: 3, reason: "invalid date '2023-13-01'" }, { line: 9, reason: "invalid date 'x'" }];
    expect(await publishResults(redis, prefix, { runId: run.job_id, results: resultsFixture(7), rejected: { byReason, samples } })).toBe(true);
    // A repeated aggregate publishes once.
    expect(await publishResults(redis, prefix, { runId: run.job_id, results: resultsFixture(8) })).toBe(false);

    const current = await client.getCurrentResults();
    expect(current).toMatchObject({ runId: run.job_id, results: resultsFixture(7) });
    expect(await client.currentRunId()).toBe(run.job_id);
    const report = await client.getRun(run.job_id);
    expect(report).toMatchObject({ status: 'completed', rejected: { by_reason: byReason, samples } });
    expect(report!.progress).toMatchObject({ percent: 100, rows_valid: 7 });
    expect(await client.activeRunId()).toBeNull();

    for (let i = 0; i < KEEP_RESULTS + 2; i++) {
      await publishResults(redis, prefix, { runId: `seed${i}`, results: resultsFixture(10 + i), now: new Date(Date.now() + 1000 * (i + 1)) });
    }
    expect(await client.currentRunId()).toBe(`seed${KEEP_RESULTS + 1}`);
    const kept = await redis.zrange(pipelineKeys(prefix).resultsIndex, 0, -1);
    expect(kept).toHaveLength(KEEP_RESULTS);
    expect(kept).not.toContain(run.job_id);
    expect(await redis.exists(pipelineKeys(prefix).results(run.job_id))).toBe(0);
    expect(await client.getResults(run.job_id)).toBeNull();
    expect(await client.getResults('seed2')).toMatchObject({ runId: 'seed2', results: resultsFixture(12) });

    const deadline2 = Date.now() + 5_000;
    while (heard.length < KEEP_RESULTS + 3 && Date.now() < deadline2) await new Promise((r) => setTimeout(r, 10));
    expect(heard[0]).toBe(run.job_id);
    expect(heard).toHaveLength(KEEP_RESULTS + 3);
    unsubscribe();
  });

  it('stores a range outcome once per generation, counts the range once, and never lets an older generation replace a newer one', async () => {
    const run = await client.startRun({ source: 'a.csv' });
    const store = new RangeStore(redis, pipelineKeys(prefix));
    const runs = new RunStore(redis, pipelineKeys(prefix));
    await runs.markPlanned(run.job_id, { bytesTotal: 1000, headerBytes: 40, ranges: 2 });
    const job = (generation: number, start: number): MapJobData => ({
      runId: run.job_id, source: 'a.csv', snapshot: { dev: 1, ino: 2, size: 1000, mtimeMs: 3 }, range: 1, start, end: 600,
      startsAtRecord: generation > 0, encoding: 'utf-8', layouts: {} as MapJobData['layouts'], limits: { villes: 10, modeles: 10 }, generation,
    });
    const outcome = (start: number, ville: string, rows: number): RangeOutcome => {
      const partial = { ...aggregatePartial(ville, rows), rejectedByReason: { invalid_date: 1 }, rowsRejected: 1 };
      return {
        start, nextStart: 640, lines: rows, text: 'ascii', encoding: 'utf-8', rowsValid: partial.rowsValid, rowsRejected: 1,
        rejectedByReason: partial.rejectedByReason, samples: [], villes: 1, partial,
        storedVilles: () => Object.keys(partial.villes).map((v): [string, string] => [v, serialiseVille(partial.villes[v])]),
      };
    };
    expect(await store.commit(job(0, 300), outcome(305, 'Lyon', 3), false)).toBe('stored');
    // A second delivery of the same job stores the same outcome again and counts nothing (see the report below).
    expect(await store.commit(job(0, 300), outcome(305, 'Lyon', 3), false)).toBe('stored');
    expect(await store.commit(job(2, 510), outcome(510, 'Paris', 4), true)).toBe('stored');
    // A straggler of an earlier generation comes too late.
    expect(await store.commit(job(1, 515), outcome(515, 'Nice', 5), false)).toBe('superseded');
    const metas = await store.metas(run.job_id, 2);
    expect(metas[0]).toBeUndefined();
    expect(metas[1]).toMatchObject({ start: 510, generation: 2, rowsValid: 4, grew: true });
    expect((await store.villes(run.job_id, 1)).map(([ville]) => ville)).toEqual(['Paris']);
    const report = await client.getRun(run.job_id);
    expect(report!.progress).toMatchObject({ chunks_total: 2, chunks_done: 1, bytes_read: 40 + 300, rows_valid: 3, rows_rejected: 1 });
    // Ending the run deletes every scratch key, incoming ones included, and no commit is stored after it.
    expect(await runs.fail(run.job_id, 'stop')).toBe(true);
    expect(await store.commit(job(3, 510), outcome(510, 'Paris', 4), false)).toBe('run-ended');
    expect(await redis.keys(`${prefix}:run:${run.job_id}:*`)).toEqual([]);
  });

  describe('ending a run early: cancel and RUN_TIMEOUT_MS', () => {
    const aggregateQueue = () => client.queues.find((q) => q.name === 'aggregate')!;

    it('cancels a run that has not ended: report cancelled, slot free, scratch data and flow gone, a late commit refused', async () => {
      const run = await client.startRun({ source: 'a.csv' });
      const keys = pipelineKeys(prefix);
      const runs = new RunStore(redis, keys);
      const store = new RangeStore(redis, keys);
      await runs.markPlanned(run.job_id, { bytesTotal: 1000, headerBytes: 40, ranges: 2 });
      const job: MapJobData = {
        runId: run.job_id, source: 'a.csv', snapshot: { dev: 1, ino: 2, size: 1000, mtimeMs: 3 }, range: 0, start: 40, end: 600,
        startsAtRecord: true, encoding: 'utf-8', layouts: {} as MapJobData['layouts'], limits: { villes: 10, modeles: 10 }, generation: 0,
      };
      const outcome = (ville: string): RangeOutcome => {
        const partial = aggregatePartial(ville, 2);
        return {
          start: 40, nextStart: 600, lines: 2, text: 'ascii', encoding: 'utf-8', rowsValid: 2, rowsRejected: 0, rejectedByReason: {},
          samples: [], villes: 1, partial, storedVilles: () => [[ville, serialiseVille(partial.villes[ville])]],
        };
      };
      expect(await store.commit(job, outcome('Lyon'), false)).toBe('stored');
      expect(await redis.keys(`${prefix}:run:${run.job_id}:*`)).not.toEqual([]);

      const cancelled = await client.cancelRun(run.job_id);
      expect(cancelled).toMatchObject({ outcome: 'cancelled', report: { job_id: run.job_id, status: 'cancelled', progress: { chunks_done: 1 } } });
      expect(await client.activeRunId()).toBeNull();
      expect(await redis.keys(`${prefix}:run:${run.job_id}:*`)).toEqual([]);
      expect(await aggregateQueue().getJob(run.job_id)).toBeUndefined();
      expect(await redis.zcard(keys.runDeadlines)).toBe(0);
      // A map job that was still running when the run was cancelled stores nothing and counts nothing.
      expect(await store.commit({ ...job, range: 1 }, outcome('Nice'), false)).toBe('run-ended');
      expect(await redis.keys(`${prefix}:run:${run.job_id}:*`)).toEqual([]);
      expect((await client.getRun(run.job_id))!.progress.chunks_done).toBe(1);

      expect(await client.cancelRun(run.job_id)).toMatchObject({ outcome: 'ended', report: { status: 'cancelled' } });
      expect(await client.cancelRun('no-such-run')).toEqual({ outcome: 'unknown' });
      const next = await client.startRun({ source: 'b.csv' });
      expect(await publishResults(redis, prefix, { runId: next.job_id, results: resultsFixture(3) })).toBe(true);
      expect(await client.cancelRun(next.job_id)).toMatchObject({ outcome: 'ended', report: { status: 'completed' } });
      expect(await client.getCurrentResults()).toMatchObject({ runId: next.job_id });
    });

    it('fails a run past its deadline with a message naming RUN_TIMEOUT_MS, once, whichever process looks first', async () => {
      const short = createPipelineClient({ REDIS_URL, REDIS_PREFIX: prefix, RUN_TIMEOUT_MS: 1000 }, logger);
      try {
        const run = await short.startRun({ source: 'a.csv' });
        expect(await client.failOverdueRuns()).toEqual([]);
        const started = Date.now();
        let ended: string[] = [];
        while (ended.length === 0 && Date.now() - started < 5_000) {
          await new Promise((r) => setTimeout(r, 50));
          // Two processes look at once: one of them ends the run.
          const [a, b] = await Promise.all([client.failOverdueRuns(), short.failOverdueRuns()]);
          ended = [...a, ...b];
        }
        expect(ended).toEqual([run.job_id]);
        expect(Date.now() - started).toBeGreaterThanOrEqual(900);
        const report = await client.getRun(run.job_id);
        expect(report).toMatchObject({ status: 'failed', finished_at: expect.any(String) });
        expect(report!.error).toBe(
          "the run did not end within RUN_TIMEOUT_MS=1000 (1 s): it was still queued, no orchestrator took it (is one running, with the API's REDIS_URL and REDIS_PREFIX?)",
        );
        expect(await client.activeRunId()).toBeNull();
        expect(await aggregateQueue().getJob(run.job_id)).toBeUndefined();
        expect(await client.failOverdueRuns()).toEqual([]);

        // A run that ends in time leaves the deadlines behind with it.
        const quick = await short.startRun({ source: 'b.csv' });
        expect(await publishResults(redis, prefix, { runId: quick.job_id, results: resultsFixture(2) })).toBe(true);
        expect(await redis.zcard(pipelineKeys(prefix).runDeadlines)).toBe(0);
      } finally {
        await short.close();
      }
    });
  });
});

/** A partial of `rows` valid rows of one ville. */
function aggregatePartial(ville: string, rows: number): RangeOutcome['partial'] {
  const villes = Object.create(null) as RangeOutcome['partial']['villes'];
  villes[ville] = { months: { '2023-01': rows * 100 }, vente: rows, location: 0, modeles: { Clio: { transactions: rows, ventes: rows, locations: 0, caCents: rows * 100 } } };
  return { rowsValid: rows, rowsRejected: 0, rejectedByReason: {}, samples: [], villes };
}
