// A map job delivered twice (retry, stalled worker) counts once: the commit script is the only writer.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { CityChunker, type CityChunk } from '@autoconnect/core';
import { createLogger } from '@autoconnect/config';
import {
  ChunkLink,
  parsePartial,
  pipelineKeys,
  RunStore,
  storeChunkScript,
  type MapJobData,
  type MapJobResult,
} from '@autoconnect/pipeline';
import { createMapProcessor } from '../src/map.processor.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const csv = [
  'transaction_id,date,ville,type,modele,prix,duree_location_mois',
  'T1,2023-01-14,Paris,vente,Peugeot 208,18990.00,',
  'T2,2023-01-15,Paris,location,Renault Clio,349.90,24',
  'T3,2023-13-01,Paris,vente,Peugeot 208,100.00,',
  'T4,2023-02-01,Paris,vente,"Peugeot 208, GT",20000.50,',
].join('\n');

describe('map processor', () => {
  let redis: Redis;
  let link: ChunkLink;
  let prefix: string;

  beforeEach(() => {
    redis = new Redis(REDIS_URL);
    link = ChunkLink.like(redis);
    prefix = `test-worker-${randomBytes(6).toString('hex')}`;
  });

  afterEach(async () => {
    link.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('commits a chunk once however often its job runs', async () => {
    const keys = pipelineKeys(prefix);
    const runs = new RunStore(redis, keys);
    await runs.create('run1', 'a.csv');
    const chunker = new CityChunker({ chunkRows: 100, encoding: 'utf-8' });
    const chunks: CityChunk[] = [...chunker.push(Buffer.from(csv)), ...chunker.end()];
    expect(chunks).toHaveLength(1);
    const run = keys.run('run1');
    await redis.set(run.incomingChunk(0), chunks[0].data);
    await storeChunkScript.run(redis, [run.report, run.partials, run.chunk(0), run.inflight, run.incomingChunk(0)], [0]);
    expect(Number(await redis.get(run.inflight))).toBe(chunks[0].data.length);

    const map = createMapProcessor({ logger: createLogger('test', 'silent'), redis, chunks: link, keys, runs });
    const data: MapJobData = {
      runId: 'run1', chunk: 0, cityKey: 'Paris', rows: 4, bytes: chunks[0].data.length,
      context: { layout: chunker.layout!, encoding: 'utf-8' },
    };
    const job = { data } as Job<MapJobData, MapJobResult>;
    expect(await map(job)).toEqual({ chunk: 0, rowsValid: 3, rowsRejected: 1, committed: true });
    const partialAfterFirst = await redis.hget(run.partials, '0');
    expect(await map(job)).toEqual({ chunk: 0, rowsValid: 0, rowsRejected: 0, committed: false });

    const report = await runs.get('run1');
    expect(report!.progress).toMatchObject({ chunks_done: 1, rows_valid: 3, rows_rejected: 1 });
    expect(report!.rejected.by_reason).toEqual({ invalid_date: 1 });
    expect(await redis.get(run.inflight)).toBe('0');
    expect(await redis.exists(run.chunk(0))).toBe(0);
    expect(await redis.hget(run.partials, '0')).toBe(partialAfterFirst);
    const partial = parsePartial(partialAfterFirst!);
    expect(partial.cities.Paris.vente).toBe(2);
    expect(partial.cities.Paris.models['Peugeot 208, GT'].caCents).toBe(2000050);
  });

  it('does nothing for a run that has already failed', async () => {
    const keys = pipelineKeys(prefix);
    const runs = new RunStore(redis, keys);
    await runs.create('run2', 'a.csv');
    await runs.fail('run2', 'stop');
    const map = createMapProcessor({ logger: createLogger('test', 'silent'), redis, chunks: link, keys, runs });
    const data = { runId: 'run2', chunk: 0, cityKey: 'Paris', rows: 1, bytes: 1, context: { layout: null, encoding: 'utf-8' } } as unknown as MapJobData;
    expect(await map({ data } as Job<MapJobData, MapJobResult>)).toMatchObject({ committed: false });
    expect((await runs.get('run2'))!.progress.chunks_done).toBe(0);
  });

  it('skips a chunk its split discarded, and fails on any other missing chunk', async () => {
    const keys = pipelineKeys(prefix);
    const runs = new RunStore(redis, keys);
    await runs.create('run3', 'a.csv');
    await runs.update('run3', 'splitting');
    const map = createMapProcessor({ logger: createLogger('test', 'silent'), redis, chunks: link, keys, runs });
    const jobFor = (chunk: number) =>
      ({ data: { runId: 'run3', chunk, cityKey: 'Paris', rows: 1, bytes: 1, context: { layout: null, encoding: 'utf-8' } } }) as unknown as Job<MapJobData, MapJobResult>;
    await expect(map(jobFor(3))).rejects.toThrow('chunk 3 of run run3 is missing from Redis');
    // The split read the file as UTF-8 up to its 5th chunk, then found it is Windows-1252.
    expect(await runs.discardSplitAttempt('run3', 5, 'windows-1252')).toBe(true);
    expect(await map(jobFor(3))).toMatchObject({ committed: false });
    await expect(map(jobFor(5))).rejects.toThrow('chunk 5 of run run3 is missing from Redis');
    expect(await redis.hlen(keys.run('run3').partials)).toBe(0);
  });
});
