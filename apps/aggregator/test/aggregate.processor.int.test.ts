// The reduce step merges partials in any order, publishes once however often it runs, and a run with too many
// rejected rows fails without touching the published results.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { CsvAggregator, finalise, mapCityChunk, CityChunker } from '@autoconnect/core';
import { createLogger } from '@autoconnect/config';
import {
  commitChunkScript,
  createPipelineClient,
  pipelineKeys,
  RunStore,
  serialisePartial,
  storeChunkScript,
  type AggregateJobData,
  type AggregateJobResult,
  type PipelineClient,
} from '@autoconnect/pipeline';
import { createAggregateProcessor } from '../src/aggregate.processor.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger('test', 'silent');
const header = 'transaction_id,date,ville,type,modele,prix,duree_location_mois';
const good = [
  header,
  'T1,2023-01-14,Paris,vente,Peugeot 208,18990.00,',
  'T2,2023-01-15,Lyon,location,Renault Clio,349.90,24',
  'T3,2023-02-01,Paris,location,Peugeot 208,100.10,12',
  'T4,2023-02-01,Lyon,vente,Renault Clio,0.05,',
  'T5,bad,Lyon,vente,Renault Clio,1,',
].join('\n');

describe('aggregate processor', () => {
  let redis: Redis;
  let prefix: string;
  let client: PipelineClient;

  beforeEach(() => {
    redis = new Redis(REDIS_URL);
    prefix = `test-aggregator-${randomBytes(6).toString('hex')}`;
    client = createPipelineClient({ REDIS_URL, REDIS_PREFIX: prefix }, logger);
  });

  afterEach(async () => {
    await client.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  /** Creates a run whose chunks are all mapped, as the split and the workers would leave it. */
  async function mappedRun(runId: string, text: string): Promise<void> {
    const keys = pipelineKeys(prefix);
    const runs = new RunStore(redis, keys);
    await runs.create(runId, 'a.csv');
    const chunker = new CityChunker({ chunkRows: 1, encoding: 'utf-8' });
    const chunks = [...chunker.push(Buffer.from(text)), ...chunker.end()];
    const k = keys.run(runId);
    for (const [n, chunk] of chunks.entries()) {
      await redis.set(k.incomingChunk(n), chunk.data);
      await storeChunkScript.run(redis, [k.report, k.partials, k.chunk(n), k.inflight, k.incomingChunk(n)], [n]);
      const partial = mapCityChunk(chunk.data, { layout: chunker.layout!, encoding: 'utf-8' });
      await commitChunkScript.run(redis, [k.report, k.partials, k.chunk(n), k.inflight], [n, serialisePartial(partial), partial.rowsValid, partial.rowsRejected]);
    }
    await runs.update(runId, 'mapping', { chunks_total: chunks.length });
  }

  function processor() {
    const keys = pipelineKeys(prefix);
    return createAggregateProcessor({ config: { MAX_REJECT_RATIO: 0.5, REDIS_PREFIX: prefix }, logger, redis, keys, runs: new RunStore(redis, keys) });
  }

  it('publishes the merged partials once, equal to the single-process reading', async () => {
    await mappedRun('r1', good);
    const aggregate = processor();
    const job = { data: { runId: 'r1' } } as Job<AggregateJobData, AggregateJobResult>;
    expect(await aggregate(job)).toEqual({ runId: 'r1', rowsValid: 4, rowsRejected: 1, chunks: 5 });
    const whole = new CsvAggregator({ encoding: 'utf-8' });
    whole.push(Buffer.from(good));
    const expected = finalise(whole.end());
    const first = await client.getCurrentResults();
    expect(first).toMatchObject({ runId: 'r1', results: expected });

    expect(await aggregate(job)).toEqual({ runId: 'r1', rowsValid: 4, rowsRejected: 1, chunks: 5 });
    expect(await client.getCurrentResults()).toEqual(first);
    const report = await client.getRun('r1');
    expect(report).toMatchObject({ status: 'completed', progress: { rows_valid: 4, rows_rejected: 1, percent: 100 } });
    expect(report!.rejected.samples).toEqual([{ line: 6, reason: expect.any(String) }]);
    expect(await redis.exists(pipelineKeys(prefix).run('r1').partials)).toBe(0);
  });

  it('fails a run with too many rejected rows and keeps the published results', async () => {
    await mappedRun('r1', good);
    await processor()({ data: { runId: 'r1' } } as Job<AggregateJobData, AggregateJobResult>);
    const published = await client.getCurrentResults();
    await mappedRun('r2', [header, 'T1,2023-01-14,Paris,vente,X,1,', 'T2,x,Paris,vente,X,1,', 'T3,y,Paris,vente,X,1,'].join('\n'));
    const failure = await processor()({ data: { runId: 'r2' } } as Job<AggregateJobData, AggregateJobResult>).catch((err: Error) => err);
    expect(failure).toMatchObject({ name: 'UnrecoverableError', message: '2 of 3 data rows rejected, more than the allowed ratio 0.5' });
    expect(await client.getRun('r2')).toMatchObject({ status: 'failed', error: (failure as Error).message, progress: { rows_rejected: 2 } });
    expect(await client.getCurrentResults()).toEqual(published);
    expect(await client.activeRunId()).toBeNull();
  });
});
