// A split restarted from scratch (its process died mid-file) stores and counts no chunk twice: chunk numbers are
// deterministic, chunks already stored or mapped are skipped, and their map jobs are not duplicated.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { createLogger, loadConfig, type Config } from '@autoconnect/config';
import {
  ChunkLink,
  commitChunkScript,
  createPipelineClient,
  pipelineKeys,
  QueueName,
  RunStore,
  type MapJobData,
  type PipelineClient,
  type SplitJobData,
  type SplitJobResult,
} from '@autoconnect/pipeline';
import { CityChunker } from '@autoconnect/core';
import { createSplitProcessor } from '../src/split.processor.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger('test', 'silent');

function csv(rows: number): string {
  const cities = ['Paris', 'Lyon', 'Nîmes'];
  const lines = ['transaction_id,date,ville,type,modele,prix,duree_location_mois'];
  for (let i = 0; i < rows; i++) lines.push(`T${i},2023-01-${String((i % 28) + 1).padStart(2, '0')},${cities[i % 3]},vente,Clio,${i}.50,`);
  return lines.join('\n') + '\n';
}

describe('split processor', () => {
  let dir: string;
  let config: Config;
  let redis: Redis;
  let chunks: ChunkLink;
  let client: PipelineClient;
  let mapQueue: Queue<MapJobData>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoconnect-split-'));
    config = loadConfig({ REDIS_URL, REDIS_PREFIX: `test-split-${randomBytes(6).toString('hex')}`, DATA_DIR: dir, CHUNK_ROWS: '7' });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    chunks = ChunkLink.like(redis);
    client = createPipelineClient(config, logger);
    mapQueue = new Queue<MapJobData>(QueueName.map, { connection: redis, prefix: config.REDIS_PREFIX });
  });

  afterEach(async () => {
    chunks.close();
    await mapQueue.close();
    await client.close();
    const keys = await redis.keys(`${config.REDIS_PREFIX}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await rm(dir, { recursive: true, force: true });
  });

  it('replays the same chunk numbers and neither stores nor counts a chunk twice', async () => {
    await writeFile(join(dir, 'a.csv'), csv(60));
    const run = await client.startRun({ source: 'a.csv' });
    const keys = pipelineKeys(config.REDIS_PREFIX);
    const runs = new RunStore(redis, keys);
    const split = createSplitProcessor({ config, logger, redis, chunks, keys, runs, mapQueue });
    const job = { data: { runId: run.job_id, source: 'a.csv' } } as Job<SplitJobData, SplitJobResult>;

    const first = await split(job);
    // 20 rows per city, at most 7 rows per chunk: 3 chunks per city.
    expect(first).toMatchObject({ chunks: 9, rows: 60 });
    const k = keys.run(run.job_id);
    const stored = await Promise.all([...Array(9).keys()].map((n) => redis.getBuffer(k.chunk(n))));
    const inflight = Number(await redis.get(k.inflight));
    expect(inflight).toBe(stored.reduce((sum, data) => sum + data!.length, 0));
    expect(await mapQueue.getJobCountByTypes('waiting')).toBe(9);

    // Chunk 4 is mapped before the restart: it must be skipped, not stored again.
    await commitChunkScript.run(redis, [k.report, k.partials, k.chunk(4), k.inflight], [4, '{}', 0, 0]);
    const second = await split(job);
    expect(second).toEqual(first);
    expect(await redis.exists(k.chunk(4))).toBe(0);
    expect(Number(await redis.get(k.inflight))).toBe(inflight - stored[4]!.length);
    for (const n of [0, 1, 2, 3, 5, 6, 7, 8]) expect((await redis.getBuffer(k.chunk(n)))!.equals(stored[n]!)).toBe(true);
    expect(await mapQueue.getJobCountByTypes('waiting')).toBe(9);
    const report = await runs.get(run.job_id);
    expect(report).toMatchObject({ status: 'mapping', progress: { chunks_total: 9, chunks_done: 1, bytes_read: report!.progress.bytes_total } });
  });

  it('discards what it shipped as UTF-8 when a later byte is Windows-1252, and splits the file again after it', async () => {
    // Nîmes as UTF-8 in the first 60 rows (mapped as such before the last row is read), then as Windows-1252 (0xEE).
    const bytes = Buffer.concat([Buffer.from(csv(60), 'utf8'), Buffer.from('T60,2023-02-01,Nîmes,vente,Clio,9.50,\n', 'latin1')]);
    const badAt = bytes.length - 30;
    await writeFile(join(dir, 'w.csv'), bytes);
    const run = await client.startRun({ source: 'w.csv' });
    const keys = pipelineKeys(config.REDIS_PREFIX);
    const k = keys.run(run.job_id);
    const runs = new RunStore(redis, keys);
    // Pieces of 50 bytes; the first time round, two chunks are mapped (committed) before the piece holding the
    // Windows-1252 byte is read.
    let mapped = false;
    const readSource = async function* (): AsyncGenerator<Buffer> {
      for (let at = 0; at < bytes.length; at += 50) {
        if (!mapped && at <= badAt && badAt < at + 50) {
          while ((await redis.exists(k.chunk(0), k.chunk(1))) < 2) await new Promise((resolve) => setTimeout(resolve, 5));
          for (const n of [0, 1]) expect(await commitChunkScript.run(redis, [k.report, k.partials, k.chunk(n), k.inflight], [n, '{}', 7, 0])).toBe(1);
          mapped = true;
        }
        yield bytes.subarray(at, at + 50);
      }
    };
    const split = createSplitProcessor({ config, logger, redis, chunks, keys, runs, mapQueue, readSource });
    const job = { data: { runId: run.job_id, source: 'w.csv' } } as Job<SplitJobData, SplitJobResult>;
    const result = await split(job);

    const known = new CityChunker({ chunkRows: 7, encoding: 'windows-1252' });
    const expected = [...known.push(bytes), ...known.end()];
    expect(result).toEqual({ chunks: expected.length, rows: 61, bytes: bytes.length });
    const restart = await runs.splitRestart(run.job_id);
    expect(restart?.encoding).toBe('windows-1252');
    const first = restart!.firstChunk;
    // The UTF-8 attempt had cut 6 chunks (2 full ones per city) before the last row: their numbers are not reused.
    expect(first).toBe(6);
    const stored = await Promise.all(expected.map((_, n) => redis.getBuffer(k.chunk(first + n))));
    expect(stored.map((data) => data?.toString('hex'))).toEqual(expected.map((chunk) => chunk.data.toString('hex')));
    expect(await redis.keys(`${k.chunkPrefix}*`)).toHaveLength(expected.length);
    expect(Number(await redis.get(k.inflight))).toBe(expected.reduce((sum, chunk) => sum + chunk.data.length, 0));
    // The mapped chunks' partials and counts went with the attempt.
    expect(await redis.hlen(k.partials)).toBe(0);
    expect((await runs.get(run.job_id))?.progress).toMatchObject({ chunks_total: expected.length, chunks_done: 0, rows_valid: 0 });
    const jobs = await mapQueue.getJobs(['waiting']);
    const fresh = jobs.filter((j) => j.data.chunk >= first);
    expect(fresh.map((j) => j.data.chunk).sort((a, b) => a - b)).toEqual(expected.map((_, n) => first + n));
    expect(fresh.every((j) => j.data.context.encoding === 'windows-1252')).toBe(true);
    expect(new Set(fresh.map((j) => j.data.cityKey))).toEqual(new Set(['Paris', 'Lyon', 'NÃ®mes', 'Nîmes']));
    // A discarded chunk's map job that read its bytes before the discard commits nothing after it.
    const stale = jobs.filter((j) => j.data.chunk < first);
    expect(stale.length).toBeGreaterThanOrEqual(2);
    expect(stale.every((j) => j.data.context.encoding === 'utf-8')).toBe(true);
    expect(await commitChunkScript.run(redis, [k.report, k.partials, k.chunk(2), k.inflight], [2, '{}', 7, 0])).toBe(0);
    expect(await redis.hlen(k.partials)).toBe(0);

    // Restarted (its process died), the split goes on as Windows-1252 from the same number: nothing twice.
    const inflight = await redis.get(k.inflight);
    expect(await split(job)).toEqual(result);
    expect(await redis.get(k.inflight)).toBe(inflight);
    expect(await mapQueue.getJobCountByTypes('waiting')).toBe(jobs.length);
  });
});
