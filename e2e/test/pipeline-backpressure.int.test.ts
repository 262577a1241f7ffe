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

/**
 * In one atomic read: the total and largest size of the run's stored chunks, the in-flight counter, and the
 * count and total size of chunks on their way in (SET under their incoming key, not yet renamed into place).
 */
const SAMPLE_CHUNKS = `
local total, largest, incoming, incomingBytes, cursor = 0, 0, 0, 0, '0'
repeat
  local reply = redis.call('SCAN', cursor, 'MATCH', ARGV[1], 'COUNT', 1000)
  cursor = reply[1]
  for _, key in ipairs(reply[2]) do
    local length = redis.call('STRLEN', key)
    if string.sub(key, -9) == ':incoming' then
      incoming = incoming + 1
      incomingBytes = incomingBytes + length
    else
      total = total + length
    end
    if length > largest then largest = length end
  end
until cursor == '0'
return { total, largest, tonumber(redis.call('GET', ARGV[2]) or '0'), incoming, incomingBytes }`;

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

    // Sample the chunk keys themselves and the counter, atomically, while the run goes on.
    let maxCounter = 0;
    let maxStored = 0;
    let maxChunk = 0;
    let samples = 0;
    let mismatches = 0;
    let maxIncoming = 0;
    while (!finished) {
      const [stored, largest, counter, incoming, incomingBytes] = (await harness.redis.eval(SAMPLE_CHUNKS, 0, keys.chunkPattern, keys.inflight)) as number[];
      maxStored = Math.max(maxStored, stored + incomingBytes);
      maxIncoming = Math.max(maxIncoming, incoming);
      maxChunk = Math.max(maxChunk, largest);
      maxCounter = Math.max(maxCounter, counter);
      if (stored !== counter) mismatches++;
      samples++;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const report = await ended;
    expect(report.status).toBe('completed');
    expect(samples).toBeGreaterThan(10);
    expect(maxChunk).toBeGreaterThan(0);
    expect(maxChunk).toBeLessThan(MB / 4);
    // The counter is exact (renamed into place and counted in one script, deleted and released in one script)...
    expect(mismatches).toBe(0);
    // ...at most one chunk is on its way in at a time (the split waits for room before it sends one)...
    expect(maxIncoming).toBeLessThanOrEqual(1);
    // ...and the bound, chunks on their way in included, holds with one chunk of margin (the split lets a chunk
    // through when the counter is 0).
    expect(maxStored).toBeLessThanOrEqual(MB + maxChunk);
    // The split did wait: without backpressure far more than the bound would pile up.
    expect(maxStored).toBeGreaterThan(MB / 2);
    expect(await harness.redis.exists(keys.inflight)).toBe(0);

    const reference = await referenceOf(join(dir, file));
    expect((await harness.client.getCurrentResults())?.results).toEqual(reference.results);
  }, 180_000);
});
