// The split plans a run and reads nothing beyond the header: ranges cover the data without gaps, one map job each,
// added once however often the split runs; bad input fails the run with a readable message.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, UnrecoverableError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { createLogger, loadConfig, type Config } from '@autoconnect/config';
import {
  createPipelineClient,
  pipelineKeys,
  QueueName,
  RangeStore,
  RunFlow,
  RunStore,
  type MapJobData,
  type PipelineClient,
  type SplitJobData,
  type SplitJobResult,
} from '@autoconnect/pipeline';
import { deleteKeys, freshPrefix, REDIS_URL } from '@autoconnect/testkit';
import { createSplitProcessor, MAX_RANGES } from '../src/split.processor.js';

const logger = createLogger('test', 'silent');
const HEADER = 'transaction_id,date,ville,type,modele,prix,duree_location_mois';

/** Bytes this process has read through read(2) and kin so far (Linux). */
function bytesReadByProcess(): number {
  return Number(/rchar: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))![1]);
}

describe('split processor', () => {
  let dir: string;
  let config: Config;
  let redis: Redis;
  let client: PipelineClient;
  let mapQueue: Queue<MapJobData>;
  let aggregateQueue: Queue;
  let runs: RunStore;
  let ranges: RangeStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoconnect-split-'));
    config = loadConfig({ REDIS_URL, REDIS_PREFIX: freshPrefix('split'), DATA_DIR: dir, CHUNK_BYTES: '1048576' });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    client = createPipelineClient(config, logger);
    mapQueue = new Queue<MapJobData>(QueueName.map, { connection: redis, prefix: config.REDIS_PREFIX });
    aggregateQueue = new Queue(QueueName.aggregate, { connection: redis, prefix: config.REDIS_PREFIX });
    runs = new RunStore(redis, pipelineKeys(config.REDIS_PREFIX));
    ranges = new RangeStore(redis, pipelineKeys(config.REDIS_PREFIX));
  });

  afterEach(async () => {
    await Promise.all([mapQueue.close(), aggregateQueue.close()]);
    await client.close();
    await redis.quit();
    await deleteKeys(config.REDIS_PREFIX);
    await rm(dir, { recursive: true, force: true });
  });

  const splitOf = (source: string, runId: string) => {
    const split = createSplitProcessor({ config, logger, runs, ranges, flow: new RunFlow(redis, aggregateQueue, mapQueue) });
    return split({ data: { runId, source } } as Job<SplitJobData, SplitJobResult>);
  };

  it('cuts a 64 MB file into ranges, one map job each, reading only its first bytes', async () => {
    // A sparse file: its data would take seconds to read, its header milliseconds.
    await writeFile(join(dir, 'big.csv'), `\uFEFF\n${HEADER}\r\n`);
    await truncate(join(dir, 'big.csv'), 64 * 1024 * 1024);
    const run = await client.startRun({ source: 'big.csv' });
    const before = bytesReadByProcess();
    const result = await splitOf('big.csv', run.job_id);
    expect(bytesReadByProcess() - before).toBeLessThan(256 * 1024);
    expect(result).toEqual({ ranges: 64, bytes: 64 * 1024 * 1024 });

    const plan = (await ranges.plan(run.job_id))!;
    expect(plan).toMatchObject({ source: 'big.csv', dataStart: 3 + 1 + HEADER.length + 2, linesBefore: 2, headerText: 'ascii', encoding: 'utf-8', rangeBytes: 1048576, ranges: 64 });
    expect(plan.snapshot.size).toBe(64 * 1024 * 1024);
    const jobs = (await mapQueue.getWaiting(0, 100)).map((job) => job.data).sort((a, b) => a.range - b.range);
    expect(jobs).toHaveLength(64);
    expect(jobs[0]).toMatchObject({ range: 0, start: plan.dataStart, startsAtRecord: true, generation: 0, limits: { villes: 10000, modeles: 200000 } });
    for (let i = 1; i < jobs.length; i++) {
      expect(jobs[i].start).toBe(jobs[i - 1].end);
      expect(jobs[i].startsAtRecord).toBe(false);
    }
    expect(jobs[63].end).toBe(64 * 1024 * 1024);
    expect(await client.getRun(run.job_id)).toMatchObject({
      status: 'mapping',
      progress: { bytes_total: 64 * 1024 * 1024, bytes_read: plan.dataStart, chunks_total: 64, chunks_done: 0, percent: 2 },
    });
  });

  it('adds no job twice and keeps the progress counted when it runs again (its process died)', async () => {
    await writeFile(join(dir, 'a.csv'), `${HEADER}\n${'T1,2023-01-01,Paris,vente,Clio,1,\n'.repeat(100_000)}`);
    const run = await client.startRun({ source: 'a.csv' });
    const first = await splitOf('a.csv', run.job_id);
    await redis.hincrby(pipelineKeys(config.REDIS_PREFIX).run(run.job_id).report, 'bytes_read', 1000);
    expect(await splitOf('a.csv', run.job_id)).toEqual(first);
    expect(await mapQueue.getJobCountByTypes('waiting')).toBe(first.ranges);
    expect((await client.getRun(run.job_id))?.progress.bytes_read).toBe(HEADER.length + 1 + 1000);
  });

  it(`never cuts more than ${MAX_RANGES} ranges`, async () => {
    config = { ...config, CHUNK_BYTES: 1024 };
    await writeFile(join(dir, 'many.csv'), `${HEADER}\n`);
    await truncate(join(dir, 'many.csv'), 20 * 1024 * 1024);
    const run = await client.startRun({ source: 'many.csv' });
    const result = await splitOf('many.csv', run.job_id);
    expect(result.ranges).toBeLessThanOrEqual(MAX_RANGES);
    expect(result.ranges).toBeGreaterThan(MAX_RANGES - 10);
  });

  it.each([
    ['empty.csv', '', /^the file is empty$/],
    ['blank.csv', '\n\r\n\n', /^the file is empty$/],
    ['header-only.csv', `${HEADER}\r\n`, /^the file has a header but no data rows$/],
    ['wrong.csv', 'a;b;c\n1;2;3\n', /^missing required column\(s\): date, ville, type, modele, prix; found: a, b, c$/],
    ['cr-only.csv', `${HEADER}\r${'T1,2023-01-01,Paris,vente,Clio,1,\r'.repeat(40_000)}`, /^no line end in the first 1048576 bytes/],
  ])('fails %s with a readable message, not retried', async (source, text, message) => {
    await writeFile(join(dir, source), text);
    const run = await client.startRun({ source });
    const error = await splitOf(source, run.job_id).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toMatch(message);
  });

  it('fails a missing source, and reads as Windows-1252 a file whose header is not UTF-8', async () => {
    const run = await client.startRun({ source: 'none.csv' });
    expect(((await splitOf('none.csv', run.job_id).catch((err: unknown) => err)) as Error).message).toBe("source file 'none.csv' does not exist in the data folder");
    await runs.fail(run.job_id, 'test over');
    await writeFile(join(dir, 'latin.csv'), Buffer.concat([Buffer.from(`${HEADER},r\xe9gion\n`, 'latin1'), Buffer.from('T1,2023-01-01,Paris,vente,Clio,1,,x\n')]));
    const second = await client.startRun({ source: 'latin.csv' });
    await splitOf('latin.csv', second.job_id);
    expect(await ranges.plan(second.job_id)).toMatchObject({ headerText: 'windows-1252', encoding: 'windows-1252' });
  });
});
