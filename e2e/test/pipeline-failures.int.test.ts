// Runs that cannot succeed end `failed` with a message for users, free the active-run slot and leave the
// published results exactly as they were.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFile, mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlowProducer } from 'bullmq';
import { SourceFile } from '@autoconnect/data-folder';
import { writeTransactionsFile } from '@autoconnect/datagen';
import {
  aggregateJobOptions,
  childJobOptions,
  RunStore,
  jobIds,
  QueueName,
  pipelineKeys,
  type MapJobData,
  type PublishedResults,
} from '@autoconnect/pipeline';
import { startHarness, waitForEnd, type Harness } from './support/pipeline-harness.js';
import { pollUntil } from '@autoconnect/testkit';

const HEADER = 'transaction_id,date,ville,type,modele,prix,duree_location_mois';

describe('failed runs', () => {
  let dir: string;
  let harness: Harness;
  let published: PublishedResults;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoconnect-failures-'));
    await writeTransactionsFile(join(dir, 'good.csv'), { rows: 500, seed: 3, invalidRatio: 0.02 });
    await writeTransactionsFile(join(dir, 'mostly-bad.csv'), { rows: 400, seed: 4, invalidRatio: 0.8 });
    await writeFile(join(dir, 'empty.csv'), '');
    await writeFile(join(dir, 'header-only.csv'), 'transaction_id,date,ville,type,modele,prix,duree_location_mois\n\n');
    await writeFile(join(dir, 'wrong-header.csv'), 'transaction_id,date,ville,type,modele,duree_location_mois\nT1,2023-01-01,Paris,vente,Clio,\n');
    await mkdir(join(dir, 'folder.csv'));
    // Each price is valid (< 10^13 €), but twelve of them add up past exact integer cents.
    const hugeRows = Array.from({ length: 12 }, (_, i) => `T${i},2023-01-01,Paris,vente,Clio,9999999999999.99,`);
    await writeFile(join(dir, 'huge-amounts.csv'), ['transaction_id,date,ville,type,modele,prix,duree_location_mois', ...hugeRows, ''].join('\n'));
    // A quote left open on line 1,001 of 3,000: every line after it is a rejected row, so the ratio fires.
    const goodRow = (i: number) => `T${i},2023-01-01,Paris,vente,Clio,1,`;
    const strayLines = Array.from({ length: 2999 }, (_, i) => (i === 999 ? `T${i},2023-01-01,Paris,vente,"Clio,1,` : goodRow(i)));
    await writeFile(join(dir, 'stray-quote.csv'), [HEADER, ...strayLines, ''].join('\n'));
    // A binary file: its first "line" is bytes of every kind, which the error must not echo raw nor whole.
    await writeFile(join(dir, 'binary.csv'), Buffer.concat([Buffer.from(Array.from({ length: 6000 }, (_, i) => (i * 7919) % 256).filter((b) => b !== 10)), Buffer.from('\nrest\n')]));
    await writeFile(join(dir, 'long-header.csv'), `${Array.from({ length: 40_000 }, (_, i) => `column_${i}`).join(',')}\n1\n`);
    harness = await startHarness({ CHUNK_BYTES: '4096' }, dir);
    const good = await harness.run('good.csv');
    expect(good.status).toBe('completed');
    published = (await harness.client.getCurrentResults())!;
    expect(published.runId).toBe(good.job_id);
  }, 30_000);

  afterAll(async () => {
    await harness.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['missing.csv', /^source file 'missing\.csv' does not exist in the data folder$/],
    ['empty.csv', /^the file is empty$/],
    ['header-only.csv', /^the file has a header but no data rows$/],
    ['wrong-header.csv', /^missing required column\(s\): prix; found: transaction_id, date, ville, type, modele, duree_location_mois$/],
    ['folder.csv', /^source 'folder\.csv' is not a file$/],
    ['stray-quote.csv', /^2000 of 2999 data rows rejected, more than the allowed ratio 0\.5$/],
    ['binary.csv', /^missing required column\(s\): date, ville, type, modele, prix; found: .{1,1500}$/],
    ['long-header.csv', /^missing required column\(s\): date, ville, type, modele, prix; found: column_0, .* and 39980 more$/],
    ['mostly-bad.csv', /^\d+ of 400 data rows rejected, more than the allowed ratio 0\.5$/],
    ['huge-amounts.csv', /^the amounts of 'Paris' add up to more than 9007199254740991 cents, beyond exact arithmetic$/],
  ])('%s ends failed with a readable message and leaves the published results alone', async (source, message) => {
    const report = await harness.run(source);
    expect(report.status).toBe('failed');
    expect(report.error).toMatch(message);
    expect(report.finished_at).not.toBeNull();
    expect(await harness.client.getCurrentResults()).toEqual(published);
    expect(await harness.client.activeRunId()).toBeNull();
    expect(await harness.redis.keys(`${harness.config.REDIS_PREFIX}:run:${report.job_id}:*`)).toEqual([]);
    if (source === 'mostly-bad.csv') {
      expect(report.progress.rows_rejected).toBeGreaterThan(200);
      expect(report.rejected.samples).toHaveLength(20);
    }
    if (source === 'stray-quote.csv') {
      expect(report.rejected.by_reason).toEqual({ unterminated_quote: 2000 });
      expect(report.rejected.samples).toEqual([{ line: 1001, reason: 'quoted field left open at the end of the file: its 2000 lines are rejected' }]);
    }
    // Whatever the file, the message is bounded and printable.
    expect(report.error!.length).toBeLessThan(2000);
    expect(report.error).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  }, 30_000);

  it('a malformed map job fails the run at once, naming what is wrong, and frees the slot (never waits forever)', async () => {
    // A run whose only range no worker can read (its layouts are not layouts), as a broken producer could send it:
    // the worker refuses the job before reading anything, and does not try it again.
    const runId = 'bad-range-run';
    const store = new RunStore(harness.redis, pipelineKeys(harness.config.REDIS_PREFIX));
    expect((await store.create(runId, 'good.csv')).activeRunId).toBeNull();
    await store.markPlanned(runId, { bytesTotal: 100, headerBytes: 10, ranges: 1 });
    const source = await SourceFile.open(dir, 'good.csv');
    const snapshot = source.snapshot;
    await source.close();
    const data: MapJobData = {
      runId, source: 'good.csv', snapshot, range: 0, start: 10, end: 100, startsAtRecord: true, encoding: 'utf-8',
      layouts: { 'utf-8': { layout: null }, 'windows-1252': { layout: null } } as unknown as MapJobData['layouts'],
      limits: { villes: 10, modeles: 10 }, generation: 0,
    };
    const connection = harness.redis.duplicate();
    const flows = new FlowProducer({ connection, prefix: harness.config.REDIS_PREFIX });
    try {
      await flows.add({
        name: QueueName.aggregate,
        queueName: QueueName.aggregate,
        data: { runId },
        opts: { ...aggregateJobOptions, jobId: jobIds.aggregate(runId) },
        children: [
          { name: QueueName.map, queueName: QueueName.map, data, opts: { ...childJobOptions, backoff: { type: 'fixed', delay: 10 }, jobId: jobIds.map(runId, 0) } },
        ],
      });
      const report = await waitForEnd(harness.client, runId, 30_000);
      expect(report.status).toBe('failed');
      expect(report.error).toMatch(/^map job bad-range-run-map-0 was not run, its payload is malformed: /);
      expect(report.error).toContain('data.layouts.utf-8');
      expect(await harness.client.activeRunId()).toBeNull();
      expect(await harness.client.getCurrentResults()).toEqual(published);
      const aggregate = harness.client.queues.find((q) => q.name === QueueName.aggregate)!;
      await pollUntil(async () => ((await aggregate.getJobState(runId)) === 'failed' ? true : undefined), { what: 'the parent to fail', timeoutMs: 10_000 });
      const map = harness.client.queues.find((q) => q.name === QueueName.map)!;
      expect((await map.getJob(jobIds.map(runId, 0)))?.attemptsMade).toBe(1);
    } finally {
      await flows.close();
      await connection.quit();
    }
  }, 30_000);
});

describe('a file that leaves DATA_DIR or changes after the run was accepted', () => {
  let base: string;
  let dir: string;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'autoconnect-swap-'));
    dir = join(base, 'data');
    await mkdir(dir);
    await writeTransactionsFile(join(dir, 'good.csv'), { rows: 300, seed: 3 });
    await writeTransactionsFile(join(base, 'outside.csv'), { rows: 300, seed: 99 });
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('fails the run when the file is swapped for a link leading outside after the POST, before it is planned', async () => {
    await copyFile(join(dir, 'good.csv'), join(dir, 'victim.csv'));
    const harness = await startHarness({}, dir, ['aggregator', 'worker']);
    try {
      const started = await harness.client.startRun({ source: 'victim.csv' });
      await rm(join(dir, 'victim.csv'));
      await symlink(join(base, 'outside.csv'), join(dir, 'victim.csv'));
      await harness.startRole('orchestrator');
      const report = await waitForEnd(harness.client, started.job_id);
      expect(report.status).toBe('failed');
      expect(report.error).toBe("source 'victim.csv' is refused: it leads outside DATA_DIR");
      expect(await harness.client.getCurrentResults()).toBeNull();
    } finally {
      await harness.close();
      await rm(join(dir, 'victim.csv'), { force: true });
    }
  }, 30_000);

  it('fails the run when the file is swapped after it was planned, before any worker read it', async () => {
    await copyFile(join(dir, 'good.csv'), join(dir, 'victim.csv'));
    const harness = await startHarness({ CHUNK_BYTES: '2048' }, dir, ['aggregator', 'orchestrator']);
    try {
      const started = await harness.client.startRun({ source: 'victim.csv' });
      await pollUntil(async () => ((await harness.client.getRun(started.job_id))?.status === 'mapping' ? true : undefined), { what: 'the run to be planned', timeoutMs: 60_000 });
      // Another file of the folder takes its name (a new inode): the workers refuse it.
      await copyFile(join(dir, 'good.csv'), join(dir, 'other.csv'));
      await rename(join(dir, 'other.csv'), join(dir, 'victim.csv'));
      await harness.startRole('worker');
      const report = await waitForEnd(harness.client, started.job_id);
      expect(report.status).toBe('failed');
      expect(report.error).toBe("source file 'victim.csv' changed during the run (it was replaced by another file): run it again");
      expect(await harness.client.getCurrentResults()).toBeNull();
      expect(await harness.client.activeRunId()).toBeNull();
    } finally {
      await harness.close();
      await rm(join(dir, 'victim.csv'), { force: true });
    }
  }, 30_000);
});

describe('cardinality limits', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoconnect-limits-'));
    // A ville column of ids: 3,000 distinct villes; a modele column of ids: 3,000 distinct models in one ville.
    await writeFile(join(dir, 'villes.csv'), [HEADER, ...Array.from({ length: 3000 }, (_, i) => `T${i},2023-01-01,Ville ${i},vente,Clio,1,`), ''].join('\n'));
    await writeFile(join(dir, 'modeles.csv'), [HEADER, ...Array.from({ length: 3000 }, (_, i) => `T${i},2023-01-01,Paris,vente,Modèle ${i},1,`), ''].join('\n'));
    await writeTransactionsFile(join(dir, 'good.csv'), { rows: 500, seed: 3 });
    const grid = (villes: number, models: number) =>
      Array.from({ length: villes * models }, (_, i) => `T${i},2023-01-01,Ville ${Math.floor(i / models)},vente,Modèle ${i % models},1,`);
    await writeFile(join(dir, 'pairs.csv'), [HEADER, ...grid(60, 50), ''].join('\n'));
    await writeFile(join(dir, 'shared-models.csv'), [HEADER, ...grid(300, 25), ''].join('\n'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('counts a model sold in many villes once: 300 villes × the same 25 models (7,500 pairs) pass MAX_MODELES=1000', async () => {
    const harness = await startHarness({ MAX_MODELES: '1000' }, dir);
    try {
      const report = await harness.run('shared-models.csv');
      expect({ status: report.status, error: report.error }).toEqual({ status: 'completed', error: undefined });
      expect((await harness.client.getCurrentResults())!.results.villes).toHaveLength(300);
    } finally {
      await harness.close();
    }
  }, 30_000);

  it.each([
    ['villes.csv', { MAX_VILLES: '1000' }, /^more than 1000 distinct villes \(MAX_VILLES=1000\): is the ville column the right one\?/],
    ['modeles.csv', { MAX_MODELES: '1000' }, /^more than 1000 distinct models \(MAX_MODELES=1000\): is the modele column the right one\?/],
    // 60 villes × 50 models: 50 distinct models, but 3,000 pairs, more than 10 × MAX_MODELES.
    ['pairs.csv', { MAX_MODELES: '200' }, /^more than 2000 distinct \(ville, modele\) pairs \(10 × MAX_MODELES=200\)/],
    // Each range is under the limit: the reduce finds it passed over the whole run.
    ['villes.csv', { MAX_VILLES: '2500', CHUNK_BYTES: '4096' }, /^more than 2500 distinct villes \(MAX_VILLES=2500\)/],
  ])('%s fails naming the variable (%o), frees the slot, and the next run completes', async (source, env, message) => {
    const harness = await startHarness(env, dir);
    try {
      const report = await harness.run(source);
      expect(report.status).toBe('failed');
      expect(report.error).toMatch(message);
      expect(await harness.client.activeRunId()).toBeNull();
      expect((await harness.run('good.csv')).status).toBe('completed');
    } finally {
      await harness.close();
    }
  }, 30_000);

  it('keeps a city\'s first 100 models and the count of all of them', async () => {
    const harness = await startHarness({}, dir);
    try {
      expect((await harness.run('modeles.csv')).status).toBe('completed');
      const { results } = (await harness.client.getCurrentResults())!;
      expect(results.top_modeles.Paris).toHaveLength(100);
      expect(results.distinct_modeles.Paris).toBe(3000);
      expect(results.top_modeles.Paris[0].modele).toBe('Modèle 0');
    } finally {
      await harness.close();
    }
  }, 30_000);
});
