// A worker reads its range of the planned file from DATA_DIR: it finishes its last record past the range, counts
// once however often its job runs, reads a range that is not UTF-8 as Windows-1252, and stops at a limit or at a
// file that is not the planned one.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnrecoverableError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { readFileHeader, type HeaderLayout, type LayoutOutcome, type SourceEncoding } from '@autoconnect/core';
import { createLogger } from '@autoconnect/config';
import { SourceFile } from '@autoconnect/data-folder';
import { pipelineKeys, RangeStore, RunStore, type MapJobData, type MapJobResult } from '@autoconnect/pipeline';
import { deleteKeys, freshPrefix, REDIS_URL } from '@autoconnect/testkit';
import { createMapProcessor } from '../src/map.processor.js';

const HEADER = 'transaction_id,date,ville,type,modele,prix,duree_location_mois';
const rows = [
  'T1,2023-01-14,Paris,vente,Peugeot 208,18990.00,',
  'T2,2023-01-15,Paris,location,"Renault\nClio",349.90,24',
  'T3,2023-13-01,Paris,vente,Peugeot 208,100.00,',
  'T4,2023-02-01,Lyon,vente,"Peugeot 208, GT",20000.50,',
];

describe('map processor', () => {
  let dir: string;
  let redis: Redis;
  let prefix: string;
  let runs: RunStore;
  let ranges: RangeStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoconnect-map-'));
    redis = new Redis(REDIS_URL);
    prefix = freshPrefix('worker');
    runs = new RunStore(redis, pipelineKeys(prefix));
    ranges = new RangeStore(redis, pipelineKeys(prefix));
  });

  afterEach(async () => {
    await redis.quit();
    await deleteKeys(prefix);
    await rm(dir, { recursive: true, force: true });
  });

  /** A run planned over `bytes` (as the split would) and the job of its range [start, end). */
  async function planned(runId: string, bytes: Buffer, start: number | 'data', end: number, extra: Partial<MapJobData> = {}): Promise<MapJobData> {
    await writeFile(join(dir, 'a.csv'), bytes);
    const file = await SourceFile.open(dir, 'a.csv');
    await file.close();
    const header = readFileHeader(bytes, true)!;
    await runs.create(runId, 'a.csv');
    await runs.markPlanned(runId, { bytesTotal: bytes.length, headerBytes: header.dataStart, ranges: 2 });
    const from = start === 'data' ? header.dataStart : start;
    return {
      runId, source: 'a.csv', snapshot: file.snapshot, range: start === 'data' ? 0 : 1, start: from, end, startsAtRecord: start === 'data',
      encoding: 'utf-8', layouts: header.layouts, limits: { villes: 100, modeles: 100 }, generation: 0, ...extra,
    };
  }

  const map = (data: MapJobData): Promise<MapJobResult> =>
    createMapProcessor({ config: { DATA_DIR: dir }, logger: createLogger('test', 'silent'), runs, ranges })({ data } as Job<MapJobData, MapJobResult>);

  it('reads its range and its last record past the end, once however often its job runs', async () => {
    const bytes = Buffer.from(`${HEADER}\n${rows.join('\n')}\n`);
    // The range ends inside T2's quoted line break: T2 is its last record, read to its end.
    const data = await planned('run1', bytes, 'data', bytes.indexOf('Renault') + 3);
    for (let i = 0; i < 2; i++) expect(await map(data)).toEqual({ range: 0, rowsValid: 2, rowsRejected: 0, committed: true });
    const [meta] = await ranges.metas('run1', 1);
    expect(meta).toMatchObject({ start: HEADER.length + 1, nextStart: bytes.indexOf('T3'), lines: 3, text: 'ascii', encoding: 'utf-8', generation: 0 });
    expect(await runs.get('run1')).toMatchObject({ progress: { chunks_done: 1, rows_valid: 2 } });
    expect((await ranges.villes('run1', 0)).map(([ville, partial]) => [ville, Object.keys(partial.modeles)])).toEqual([['Paris', ['Peugeot 208', 'Renault\nClio']]]);
  });

  it('takes the record after the first line end of its range when its start is a guess', async () => {
    const bytes = Buffer.from(`${HEADER}\n${rows.join('\n')}\n`);
    const data = await planned('run2', bytes, bytes.indexOf('T3') - 3, bytes.length);
    expect(await map(data)).toMatchObject({ rowsValid: 1, rowsRejected: 1 });
    const [, meta] = await ranges.metas('run2', 2);
    expect(meta).toMatchObject({ start: bytes.indexOf('T3'), nextStart: bytes.length, samples: [{ line: 1, reason: "invalid date '2023-13-01'" }] });
  });

  it('reads a range that is not UTF-8 as Windows-1252, whatever the job said', async () => {
    const bytes = Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from('T1,2023-01-14,N\xeemes,vente,Citro\xebn C3,1,\n', 'latin1')]);
    const data = await planned('run3', bytes, 'data', bytes.length);
    await map(data);
    const [meta] = await ranges.metas('run3', 1);
    expect(meta).toMatchObject({ text: 'windows-1252', encoding: 'windows-1252' });
    expect((await ranges.villes('run3', 0)).map(([ville]) => ville)).toEqual(['Nîmes']);
  });

  it('stops at a limit of distinct villes with a message naming the variable', async () => {
    const bytes = Buffer.from(`${HEADER}\n${Array.from({ length: 50 }, (_, i) => `T${i},2023-01-01,Ville ${i},vente,Clio,1,`).join('\n')}\n`);
    const data = await planned('run4', bytes, 'data', bytes.length, { limits: { villes: 10, modeles: 100 } });
    const error = await map(data).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toMatch(/^more than 10 distinct villes \(MAX_VILLES=10\)/);
  });

  it('refuses a file that is not the planned one, and does nothing for a run that has ended', async () => {
    const bytes = Buffer.from(`${HEADER}\n${rows.join('\n')}\n`);
    const data = await planned('run5', bytes, 'data', bytes.length);
    await writeFile(join(dir, 'a.csv'), Buffer.from(`${HEADER}\n${rows.slice(0, 2).join('\n')}\n`));
    const error = await map(data).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toMatch(/^source file 'a\.csv' changed during the run \(it shrank/);
    await runs.fail('run5', 'stopped');
    expect(await map(data)).toEqual({ range: 0, rowsValid: 0, rowsRejected: 0, committed: false });
  });

  it('fails a Windows-1252 range whose header only UTF-8 reads whole, with the header\'s message', async () => {
    const layout = (readFileHeader(Buffer.from(`${HEADER}\n`), true)!.layouts['utf-8'] as { layout: HeaderLayout }).layout;
    const layouts: Record<SourceEncoding, LayoutOutcome> = { 'utf-8': { layout }, 'windows-1252': { error: 'missing required column(s): prix; found: x' } };
    const bytes = Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from('T1,2023-01-14,N\xeemes,vente,Clio,1,\n', 'latin1')]);
    const data = await planned('run6', bytes, 'data', bytes.length, { layouts });
    expect(((await map(data).catch((err: unknown) => err)) as Error).message).toBe('missing required column(s): prix; found: x');
  });
});
