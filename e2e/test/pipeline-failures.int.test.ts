// Runs that cannot succeed end `failed` with a message for users, free the active-run slot and leave the
// published results exactly as they were.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlowProducer } from 'bullmq';
import type { ChunkContext } from '@autoconnect/core';
import { writeTransactionsFile } from '@autoconnect/datagen';
import {
  aggregateJobOptions,
  childJobOptions,
  JOB_ATTEMPTS,
  RunStore,
  jobIds,
  pipelineKeys,
  QueueName,
  storeChunkScript,
  type MapJobData,
  type PublishedResults,
} from '@autoconnect/pipeline';
import { startHarness, waitForEnd, type Harness } from './support/pipeline-harness.js';
import { waitFor } from './support/wait-for.js';

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
    harness = await startHarness({}, dir);
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
  }, 30_000);

  it('a map job that keeps failing fails the run (never waits forever) and frees the slot', async () => {
    // A run whose only chunk no reader can parse, built as the split would have built it.
    const runId = 'bad-chunk-run';
    const store = new RunStore(harness.redis, pipelineKeys(harness.config.REDIS_PREFIX));
    expect((await store.create(runId, 'good.csv')).activeRunId).toBeNull();
    await store.update(runId, 'mapping', { chunks_total: 1 });
    const keys = pipelineKeys(harness.config.REDIS_PREFIX).run(runId);
    await harness.redis.set(keys.incomingChunk(0), 'not a chunk');
    await storeChunkScript.run(harness.redis, [keys.report, keys.partials, keys.chunk(0), keys.inflight, keys.incomingChunk(0)], [0]);
    const context: ChunkContext = {
      layout: { delimiter: ',', fieldCount: 7, headerLine: 1, columns: { transaction_id: 0, date: 1, ville: 2, type: 3, modele: 4, prix: 5, duree_location_mois: 6 } },
      encoding: 'utf-8',
    };
    const data: MapJobData = { runId, chunk: 0, cityKey: 'Nowhere', rows: 1, bytes: 11, context };
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
      expect(report.error).toMatch(/^chunk 0 \(city 'Nowhere'\) could not be processed: ./);
      expect(await harness.client.activeRunId()).toBeNull();
      expect(await harness.client.getCurrentResults()).toEqual(published);
      const aggregate = harness.client.queues.find((q) => q.name === QueueName.aggregate)!;
      await waitFor('the parent to fail', async () => (await aggregate.getJobState(runId)) === 'failed', 10_000);
      const map = harness.client.queues.find((q) => q.name === QueueName.map)!;
      expect((await map.getJob(jobIds.map(runId, 0)))?.attemptsMade).toBe(JOB_ATTEMPTS);
    } finally {
      await flows.close();
      await connection.quit();
    }
  }, 30_000);
});
