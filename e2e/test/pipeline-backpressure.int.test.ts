// Redis memory stays bounded whatever the file size: with MAX_INFLIGHT_MB=1 and a file ~25 times bigger, the
// chunk data waiting in Redis never exceeds the bound plus one chunk, and the results are still exact.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTransactionsFile } from '@autoconnect/datagen';
import { pipelineKeys } from '@autoconnect/pipeline';
import { startHarness, waitForEnd, type Harness } from './support/pipeline-harness.js';
import { referenceOf } from './support/reference.js';

const MB = 1024 * 1024;

describe('backpressure', () => {
  let dir: string;
  let harness: Harness;
  const file = 'large.csv';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoconnect-backpressure-'));
    await writeTransactionsFile(join(dir, file), { rows: 400_000, seed: 5, invalidRatio: 0.01 });
    harness = await startHarness({ MAX_INFLIGHT_MB: '1', CHUNK_ROWS: '1000', WORKER_CONCURRENCY: '1' }, dir);
  }, 60_000);

  afterAll(async () => {
    await harness.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('never holds more than MAX_INFLIGHT_MB plus one chunk of chunk data in Redis', async () => {
    const size = (await stat(join(dir, file))).size;
    expect(size).toBeGreaterThan(20 * MB);
    const run = await harness.client.startRun({ source: file });
    const keys = pipelineKeys(harness.config.REDIS_PREFIX).run(run.job_id);
    const ended = waitForEnd(harness.client, run.job_id, 120_000);
    let finished = false;
    void ended.then(() => (finished = true), () => (finished = true));

    // Sample both the counter and the chunk keys themselves while the run goes on.
    let maxCounter = 0;
    let maxStored = 0;
    let maxChunk = 0;
    let samples = 0;
    while (!finished) {
      maxCounter = Math.max(maxCounter, Number(await harness.redis.get(keys.inflight)) || 0);
      let stored = 0;
      let cursor = '0';
      do {
        const [next, found] = await harness.redis.scan(cursor, 'MATCH', keys.chunkPattern, 'COUNT', 1000);
        for (const key of found) {
          const length = await harness.redis.strlen(key);
          stored += length;
          maxChunk = Math.max(maxChunk, length);
        }
        cursor = next;
      } while (cursor !== '0');
      maxStored = Math.max(maxStored, stored);
      samples++;
    }
    const report = await ended;
    expect(report.status).toBe('completed');
    expect(samples).toBeGreaterThan(10);
    expect(maxChunk).toBeGreaterThan(0);
    expect(maxChunk).toBeLessThan(MB / 4);
    expect(maxCounter).toBeLessThanOrEqual(MB + maxChunk);
    // A chunk counted just before it is stored, or deleted just after it is counted, shifts one sample by a chunk.
    expect(maxStored).toBeLessThanOrEqual(MB + maxChunk);
    expect(await harness.redis.exists(keys.inflight)).toBe(0);

    const reference = await referenceOf(join(dir, file));
    expect((await harness.client.getCurrentResults())?.results).toEqual(reference.results);
  }, 180_000);
});
