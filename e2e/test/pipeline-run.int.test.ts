// Whole runs through every role (in this process): results equal the reference, whatever the range size, the
// encoding, quoted line breaks across range boundaries, or a file that grows while it is read.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeTransactionsFile } from '@autoconnect/datagen';
import type { Results } from '@autoconnect/core';
import { startHarness, waitForEnd } from './support/pipeline-harness.js';
import { expectedRejected, referenceOf } from './support/reference.js';
import { pollUntil } from '@autoconnect/testkit';

const repoData = join(dirname(fileURLToPath(import.meta.url)), '../../data');
const HEADER = 'transaction_id,date,ville,type,modele,prix,duree_location_mois';

describe('a run over the sample file', () => {
  it('publishes exactly what the reference computes, with a complete report', async () => {
    const reference = await referenceOf(join(repoData, 'transactions.csv'));
    const harness = await startHarness({}, repoData);
    try {
      const report = await harness.run('transactions.csv');
      expect(report.error).toBeUndefined();
      expect(report.status).toBe('completed');
      const current = await harness.client.getCurrentResults();
      expect(current?.runId).toBe(report.job_id);
      expect(current?.results).toEqual(reference.results);
      expect(report.progress).toMatchObject({
        percent: 100,
        rows_valid: reference.rowsValid,
        rows_rejected: reference.rowsRejected,
        chunks_done: report.progress.chunks_total,
      });
      expect(report.progress.bytes_read).toBe(report.progress.bytes_total);
      expect(report.rejected).toEqual(expectedRejected(reference));
      expect(report.warnings).toEqual([]);
      expect(report.duration_ms).toBeGreaterThanOrEqual(0);
      expect(await harness.client.activeRunId()).toBeNull();
    } finally {
      await harness.close();
    }
  }, 60_000);
});

describe('range size', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoconnect-ranges-'));
    await writeTransactionsFile(join(dir, 'mixed.csv'), { rows: 3000, seed: 7, invalidRatio: 0.08, messyRatio: 0.2 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('does not change the results: CHUNK_BYTES 1024, 4099 and 100 MB publish the same metrics as the reference', async () => {
    const reference = await referenceOf(join(dir, 'mixed.csv'));
    expect(reference.rowsRejected).toBeGreaterThan(0);
    const published: Results[] = [];
    for (const chunkBytes of ['1024', '4099', '100000000']) {
      const harness = await startHarness({ CHUNK_BYTES: chunkBytes, WORKER_CONCURRENCY: '8' }, dir);
      try {
        const report = await harness.run('mixed.csv');
        expect({ chunkBytes, status: report.status, error: report.error }).toEqual({ chunkBytes, status: 'completed', error: undefined });
        expect(report.progress.chunks_done).toBe(report.progress.chunks_total);
        if (chunkBytes === '1024') expect(report.progress.chunks_total).toBeGreaterThan(100);
        if (chunkBytes === '100000000') expect(report.progress.chunks_total).toBe(1);
        expect(report.progress.rows_valid).toBe(reference.rowsValid);
        expect(report.progress.rows_rejected).toBe(reference.rowsRejected);
        expect(report.rejected).toEqual(expectedRejected(reference));
        published.push((await harness.client.getCurrentResults())!.results);
        // Every scratch key of the run is gone soon after it completes (the partials are swept once the
        // results are published): plan, range outcomes, partials.
        const scratch = `${harness.config.REDIS_PREFIX}:run:${report.job_id}:*`;
        await pollUntil(async () => ((await harness.redis.keys(scratch)).length === 0 ? true : undefined), { what: `no key left matching ${scratch}`, timeoutMs: 10_000 });
      } finally {
        await harness.close();
      }
    }
    for (const results of published) expect(results).toEqual(reference.results);
  }, 120_000);

  it('reads quoted line breaks across range boundaries exactly (ranges that guessed their start wrong are read again)', async () => {
    // Models with line breaks (LF and CRLF) inside quotes, a BOM, accents: with 1 KiB ranges, many cuts fall inside quotes.
    const rows = Array.from({ length: 400 }, (_, i) => {
      const model = i % 3 === 0 ? `"Peugeot\n208 ""GT""\nLigne ${i % 7}"` : i % 3 === 1 ? `"Clio,\r\nRS ${i % 5}"` : `Zoé ${i % 4}`;
      return `TX${i},2023-0${1 + (i % 9)}-1${i % 10},${['Paris', 'Nîmes', 'Saint-Étienne'][i % 3]},${i % 4 ? 'vente' : 'location'},${model},${i}.${i % 100},${i % 4 ? '' : 12}`;
    });
    await writeFile(join(dir, 'quoted.csv'), `\uFEFF${HEADER}\r\n${rows.join('\r\n')}\r\n`);
    const reference = await referenceOf(join(dir, 'quoted.csv'));
    const harness = await startHarness({ CHUNK_BYTES: '1024', WORKER_CONCURRENCY: '4' }, dir);
    try {
      const report = await harness.run('quoted.csv');
      expect({ status: report.status, error: report.error }).toEqual({ status: 'completed', error: undefined });
      expect((await harness.client.getCurrentResults())?.results).toEqual(reference.results);
      expect(report.progress).toMatchObject({ rows_valid: 400, rows_rejected: 0 });
    } finally {
      await harness.close();
    }
  }, 60_000);

  it('reads a file that turns out Windows-1252 only in its last row as Windows-1252, every row once', async () => {
    const late = 'late-windows-1252.csv';
    await writeTransactionsFile(join(dir, late), { rows: 60_000, seed: 11, invalidRatio: 0.02 });
    await appendFile(join(dir, late), Buffer.from('TXLAST,2023-05-01,Nîmes,vente,Citroën C3,15000.00,\n', 'latin1'));
    const reference = await referenceOf(join(dir, late));
    expect(reference.encoding).toBe('windows-1252');
    const harness = await startHarness({ CHUNK_BYTES: '65536', WORKER_CONCURRENCY: '4' }, dir);
    try {
      const report = await harness.run(late);
      expect({ status: report.status, error: report.error }).toEqual({ status: 'completed', error: undefined });
      expect((await harness.client.getCurrentResults())?.results).toEqual(reference.results);
      expect(report.progress).toMatchObject({ rows_valid: reference.rowsValid, rows_rejected: reference.rowsRejected, chunks_done: report.progress.chunks_total });
      expect(report.rejected).toEqual(expectedRejected(reference));
      expect(await harness.redis.keys(`${harness.config.REDIS_PREFIX}:run:${report.job_id}:*`)).toEqual([]);
    } finally {
      await harness.close();
    }
  }, 60_000);

  it("reads Excel's French export (Windows-1252, ';', decimal commas, DD/MM/YYYY, CRLF) like the reference", async () => {
    const excel = 'excel-export.csv';
    await writeTransactionsFile(join(dir, excel), {
      rows: 2000, seed: 9, invalidRatio: 0.05, encoding: 'windows-1252', delimiter: ';', dateFormat: 'fr', crlf: true,
    });
    const reference = await referenceOf(join(dir, excel));
    expect(reference.encoding).toBe('windows-1252');
    const harness = await startHarness({ CHUNK_BYTES: '5000' }, dir);
    try {
      const report = await harness.run(excel);
      expect({ status: report.status, error: report.error }).toEqual({ status: 'completed', error: undefined });
      expect((await harness.client.getCurrentResults())?.results).toEqual(reference.results);
      expect(report.rejected).toEqual(expectedRejected(reference));
    } finally {
      await harness.close();
    }
  }, 60_000);

  it('reads a file that grows during the run up to its size at the start, and says so in the report', async () => {
    await writeTransactionsFile(join(dir, 'growing.csv'), { rows: 2000, seed: 5 });
    const reference = await referenceOf(join(dir, 'growing.csv'));
    // No worker yet: the run is planned, then the file grows, then the ranges are read.
    const harness = await startHarness({ CHUNK_BYTES: '8192' }, dir, ['aggregator', 'orchestrator']);
    try {
      const started = await harness.client.startRun({ source: 'growing.csv' });
      await pollUntil(async () => ((await harness.client.getRun(started.job_id))?.status === 'mapping' ? true : undefined), { what: 'the run to be planned', timeoutMs: 60_000 });
      await appendFile(join(dir, 'growing.csv'), 'TXNEW,2023-01-01,Paris,vente,Clio,1000000,\n'.repeat(500));
      await harness.startRole('worker');
      const report = await waitForEnd(harness.client, started.job_id);
      expect({ status: report.status, error: report.error }).toEqual({ status: 'completed', error: undefined });
      expect((await harness.client.getCurrentResults())?.results).toEqual(reference.results);
      expect(report.warnings).toEqual([expect.stringMatching(/^the file grew while the run read it: it was read up to its size when the run started \(\d+ bytes\)$/)]);
    } finally {
      await harness.close();
    }
  }, 60_000);
});
