// The reduce step checks that the ranges were read exactly, has the misread ones read again (as children of the
// aggregate job), then publishes once, equal to the single-process reading; a run with too many rejected rows
// fails without touching the published results.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, WaitingChildrenError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { CsvAggregator, finalise, planRanges, readFileHeader } from '@autoconnect/core';
import { createLogger } from '@autoconnect/config';
import { SourceFile } from '@autoconnect/data-folder';
import {
  createPipelineClient,
  mapJobData,
  pipelineKeys,
  QueueName,
  RangeStore,
  RunFlow,
  RunStore,
  type AggregateJobData,
  type AggregateJobResult,
  type MapJobData,
  type MapJobResult,
  type PipelineClient,
  type RunPlan,
} from '@autoconnect/pipeline';
import { createMapProcessor } from '@autoconnect/worker';
import { deleteKeys, freshPrefix, REDIS_URL } from '@autoconnect/testkit';
import { createAggregateProcessor } from '../src/aggregate.processor.js';

const logger = createLogger('test', 'silent');
const HEADER = 'transaction_id,date,ville,type,modele,prix,duree_location_mois';

describe('aggregate processor', () => {
  let dir: string;
  let redis: Redis;
  let prefix: string;
  let client: PipelineClient;
  let runs: RunStore;
  let ranges: RangeStore;
  /** Map jobs the reduce asked for, as its queue would have received them. */
  let added: MapJobData[];
  let aggregateQueue: Queue;
  /** The run's flow, but the map jobs it is asked to add are kept in `added` (no real parent job waits for them). */
  let flow: RunFlow;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoconnect-reduce-'));
    redis = new Redis(REDIS_URL);
    prefix = freshPrefix('aggregator');
    client = createPipelineClient({ REDIS_URL, REDIS_PREFIX: prefix }, logger);
    runs = new RunStore(redis, pipelineKeys(prefix));
    ranges = new RangeStore(redis, pipelineKeys(prefix));
    added = [];
    aggregateQueue = new Queue(QueueName.aggregate, { connection: redis, prefix });
    flow = new RunFlow(redis, aggregateQueue);
    flow.addMapJobs = async (runId, plan, readings) => {
      added.push(...readings.map((reading) => mapJobData(runId, plan, reading)));
    };
  });

  afterEach(async () => {
    await aggregateQueue.close();
    await client.close();
    await redis.quit();
    await deleteKeys(prefix);
    await rm(dir, { recursive: true, force: true });
  });

  const map = (data: MapJobData) =>
    createMapProcessor({ config: { DATA_DIR: dir }, logger, runs, ranges })({ data } as Job<MapJobData, MapJobResult>);
  const aggregate = (runId: string, waits = true) =>
    createAggregateProcessor({ config: { MAX_REJECT_RATIO: 0.5, REDIS_PREFIX: prefix }, logger, redis, runs, ranges, flow })(
      { id: runId, queueQualifiedName: `${prefix}:aggregate`, data: { runId }, moveToWaitingChildren: async () => waits } as unknown as Job<AggregateJobData, AggregateJobResult>,
      'token',
    );

  /** A run over `text` planned in ranges of `rangeBytes`, every range mapped once as the split's jobs would be. */
  async function mappedRun(runId: string, text: string, rangeBytes: number): Promise<void> {
    const bytes = Buffer.from(text);
    await writeFile(join(dir, `${runId}.csv`), bytes);
    const file = await SourceFile.open(dir, `${runId}.csv`);
    await file.close();
    const header = readFileHeader(bytes, true)!;
    const cut = planRanges(header.dataStart, bytes.length, rangeBytes);
    const plan: RunPlan = {
      source: `${runId}.csv`, snapshot: file.snapshot, dataStart: header.dataStart, linesBefore: header.linesBefore, headerText: header.text,
      layouts: header.layouts, encoding: 'utf-8', rangeBytes, ranges: cut.length, limits: { villes: 100, modeles: 100 },
    };
    await runs.create(runId, plan.source);
    await ranges.savePlan(runId, plan);
    await runs.markPlanned(runId, { bytesTotal: bytes.length, headerBytes: header.dataStart, ranges: cut.length });
    for (const range of cut) {
      await map({ runId, source: plan.source, snapshot: plan.snapshot, range: range.index, start: range.start, end: range.end, startsAtRecord: range.index === 0, encoding: 'utf-8', layouts: plan.layouts, limits: plan.limits, generation: 0 });
    }
  }

  it('has a range that guessed its start wrong read again, then publishes once, exactly', async () => {
    // Range 1 starts inside the quoted line breaks of T2's model: its guess takes "Clio…" for a record.
    const text = `${HEADER}\nT1,2023-01-14,Paris,vente,Peugeot 208,18990.00,\nT2,2023-01-15,Lyon,location,"Renault\nClio,\nRS",349.90,24\nT3,2023-02-01,Lyon,vente,Clio,5,\nT4,bad,Lyon,vente,Clio,1,\n`;
    const cutAt = text.indexOf('Clio,\nRS') + 2 - (HEADER.length + 1);
    await mappedRun('r1', text, cutAt);
    await expect(aggregate('r1')).rejects.toBeInstanceOf(WaitingChildrenError);
    expect(added.map(({ range, start, startsAtRecord, generation }) => ({ range, start, startsAtRecord, generation }))).toEqual([
      { range: 1, start: text.indexOf('T3'), startsAtRecord: true, generation: 1 },
    ]);
    expect((await client.getRun('r1'))?.status).toBe('reducing');
    for (const data of added) await map(data);
    // What BullMQ keeps of the children's results in the parent (one entry per map job) goes with the reduce.
    const processed = `${prefix}:aggregate:r1:processed`;
    await redis.hset(processed, `${prefix}:map:r1-map-0`, '{"range":0}', `${prefix}:map:r1-map-1`, '{"range":1}');

    const whole = new CsvAggregator();
    whole.push(Buffer.from(text));
    const expected = whole.end();
    expect(await aggregate('r1')).toEqual({ runId: 'r1', rowsValid: 3, rowsRejected: 1, ranges: 2 });
    expect((await client.getCurrentResults())?.results).toEqual(finalise(expected));
    const report = await client.getRun('r1');
    expect(report).toMatchObject({ status: 'completed', progress: { rows_valid: 3, rows_rejected: 1, percent: 100, chunks_done: 2, chunks_total: 2 } });
    expect(report!.rejected).toEqual({ by_reason: { invalid_date: 1 }, samples: [{ line: 7, reason: "invalid date 'bad'" }] });
    expect(await redis.keys(`${prefix}:run:r1:*`)).toEqual([]);
    expect(await redis.exists(processed)).toBe(0);
    // A repeated delivery publishes nothing more.
    const published = await client.getCurrentResults();
    expect(await aggregate('r1')).toMatchObject({ runId: 'r1' });
    expect(await client.getCurrentResults()).toEqual(published);
  });

  it('stops, reading nothing again and publishing nothing, when its run is cancelled while it reduces', async () => {
    const text = `${HEADER}\nT1,2023-01-14,Paris,vente,"A\nB\nC\nD",1,\nT2,2023-01-14,Paris,vente,E,2,\n`;
    await mappedRun('r3', text, text.indexOf('C\nD') - (HEADER.length + 1));
    expect((await client.cancelRun('r3')).outcome).toBe('cancelled');
    expect(await aggregate('r3')).toMatchObject({ runId: 'r3' });
    expect(added).toEqual([]);
    expect(await client.getCurrentResults()).toBeNull();
    expect((await client.getRun('r3'))?.status).toBe('cancelled');
  });

  it('checks again at once when the ranges read again are done before it could wait for them', async () => {
    const text = `${HEADER}\nT1,2023-01-14,Paris,vente,"A\nB\nC\nD",1,\nT2,2023-01-14,Paris,vente,E,2,\n`;
    await mappedRun('r2', text, text.indexOf('C\nD') - (HEADER.length + 1));
    // moveToWaitingChildren answers false: no child left to wait for (here: none was even processed yet, so the
    // reduce asks again, with the same generation, until the test maps them).
    const reduce = aggregate('r2', false);
    while (added.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    for (const data of added.splice(0)) await map(data);
    expect(await reduce).toMatchObject({ rowsValid: 2, rowsRejected: 0 });
  });

  it('fails a run with too many rejected rows and keeps the published results', async () => {
    await mappedRun('r3', `${HEADER}\nT1,2023-01-14,Paris,vente,X,1,\n`, 1024);
    await aggregate('r3');
    const published = await client.getCurrentResults();
    await mappedRun('r4', [HEADER, 'T1,2023-01-14,Paris,vente,X,1,', 'T2,x,Paris,vente,X,1,', 'T3,y,Paris,vente,X,1,', ''].join('\n'), 1024);
    const failure = await aggregate('r4').catch((err: Error) => err);
    expect(failure).toMatchObject({ name: 'UnrecoverableError', message: '2 of 3 data rows rejected, more than the allowed ratio 0.5' });
    expect(await client.getRun('r4')).toMatchObject({ status: 'failed', error: (failure as Error).message, progress: { rows_rejected: 2 }, rejected: { by_reason: { invalid_date: 2 } } });
    expect(await client.getCurrentResults()).toEqual(published);
    expect(await client.activeRunId()).toBeNull();
  });
});
