// Whole runs through every role (in this process): results equal the reference, whatever the chunk size.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeTransactionsFile } from '@autoconnect/datagen';
import type { Results } from '@autoconnect/core';
import { startHarness } from './support/pipeline-harness.js';
import { expectedRejected, referenceOf } from './support/reference.js';

const repoData = join(dirname(fileURLToPath(import.meta.url)), '../../data');

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
      expect(report.duration_ms).toBeGreaterThanOrEqual(0);
      expect(await harness.client.activeRunId()).toBeNull();
    } finally {
      await harness.close();
    }
  }, 60_000);
});

describe('chunk size', () => {
  let dir: string;
  const file = 'mixed.csv';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoconnect-chunks-'));
    await writeTransactionsFile(join(dir, file), { rows: 3000, seed: 7, invalidRatio: 0.08 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('does not change the results: CHUNK_ROWS 1, 997 and 100000 publish the same metrics as the reference', async () => {
    const reference = await referenceOf(join(dir, file));
    expect(reference.rowsRejected).toBeGreaterThan(0);
    const published: Results[] = [];
    for (const chunkRows of ['1', '997', '100000']) {
      const harness = await startHarness({ CHUNK_ROWS: chunkRows, WORKER_CONCURRENCY: '8' }, dir);
      try {
        const report = await harness.run(file);
        expect({ chunkRows, status: report.status, error: report.error }).toEqual({ chunkRows, status: 'completed', error: undefined });
        expect(report.progress.chunks_done).toBe(report.progress.chunks_total);
        if (chunkRows === '1') expect(report.progress.chunks_total).toBe(reference.rowsValid + reference.rowsRejected);
        expect(report.progress.rows_valid).toBe(reference.rowsValid);
        expect(report.progress.rows_rejected).toBe(reference.rowsRejected);
        expect(report.rejected).toEqual(expectedRejected(reference));
        published.push((await harness.client.getCurrentResults())!.results);
        // Every scratch key of the run is gone: chunks, partials, in-flight counter.
        expect(await harness.redis.keys(`${harness.config.REDIS_PREFIX}:run:${report.job_id}:*`)).toEqual([]);
      } finally {
        await harness.close();
      }
    }
    expect(published[0]).toEqual(reference.results);
    expect(published[1]).toEqual(reference.results);
    expect(published[2]).toEqual(reference.results);
  }, 120_000);

  it('reads a file that turns out Windows-1252 only in its last row as Windows-1252, every row once', async () => {
    // Megabytes of UTF-8 (accented models) are split and mapped as such before the last row is read.
    const late = 'late-windows-1252.csv';
    await writeTransactionsFile(join(dir, late), { rows: 60_000, seed: 11, invalidRatio: 0.02 });
    await appendFile(join(dir, late), Buffer.from('TXLAST,2023-05-01,Nîmes,vente,Citroën C3,15000.00,\n', 'latin1'));
    const reference = await referenceOf(join(dir, late));
    expect(reference.encoding).toBe('windows-1252');
    // A 1 MB in-flight bound makes the split wait for chunks to be mapped before it reads on.
    const harness = await startHarness({ CHUNK_ROWS: '500', MAX_INFLIGHT_MB: '1' }, dir);
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
    const harness = await startHarness({ CHUNK_ROWS: '300' }, dir);
    try {
      const report = await harness.run(excel);
      expect({ status: report.status, error: report.error }).toEqual({ status: 'completed', error: undefined });
      expect((await harness.client.getCurrentResults())?.results).toEqual(reference.results);
      expect(report.rejected).toEqual(expectedRejected(reference));
    } finally {
      await harness.close();
    }
  }, 60_000);
});
