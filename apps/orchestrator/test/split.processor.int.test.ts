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
import { detectEncoding } from '../src/source-file.js';

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

  it('splits a Windows-1252 file found out only after chunks were cut as UTF-8 as if known from the start', async () => {
    const bytes = Buffer.from(csv(60), 'latin1'); // Nîmes as Windows-1252 (0xEE), not UTF-8
    await writeFile(join(dir, 'w.csv'), bytes);
    const run = await client.startRun({ source: 'w.csv' });
    const keys = pipelineKeys(config.REDIS_PREFIX);
    const runs = new RunStore(redis, keys);
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const split = createSplitProcessor({
      config, logger, redis, chunks, keys, runs, mapQueue,
      detectEncoding: async (file, source) => {
        await gate;
        return detectEncoding(file, source);
      },
    });
    const job = { data: { runId: run.job_id, source: 'w.csv' } } as Job<SplitJobData, SplitJobResult>;
    const result = split(job);
    // The first pass cuts chunks (7 rows each) as UTF-8 while the check waits: none may leave the process.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const k = keys.run(run.job_id);
    expect(await redis.exists(k.chunk(0), k.inflight)).toBe(0);
    expect(await mapQueue.getJobCountByTypes('waiting')).toBe(0);
    release();
    expect(await result).toMatchObject({ chunks: 9, rows: 60 });

    const known = new CityChunker({ chunkRows: 7, encoding: 'windows-1252' });
    const expected = [...known.push(bytes), ...known.end()];
    const stored = await Promise.all(expected.map((_, n) => redis.getBuffer(k.chunk(n))));
    expect(stored.map((data) => data!.toString('hex'))).toEqual(expected.map((chunk) => chunk.data.toString('hex')));
    expect(await redis.exists(k.chunk(expected.length))).toBe(0);
    expect(Number(await redis.get(k.inflight))).toBe(expected.reduce((sum, chunk) => sum + chunk.data.length, 0));
    const jobs = await mapQueue.getJobs(['waiting']);
    expect(new Set(jobs.map((j) => j.data.cityKey))).toEqual(new Set(['Paris', 'Lyon', 'Nîmes']));
    expect(jobs.every((j) => j.data.context.encoding === 'windows-1252')).toBe(true);
  });
});
