// The split step plans a run and reads nothing beyond the header: it confines and snapshots the source, reads the
// header, cuts the data into byte ranges of about CHUNK_BYTES and adds one `map` child per range to the run's
// parent. The workers read the ranges themselves.
import type { Job, Queue } from 'bullmq';
import {
  HeaderTooLongError,
  InputError,
  MAX_HEADER_BYTES,
  NoDataRowsError,
  planRanges,
  readFileHeader,
  Utf8Checker,
  type FileHeader,
  type SourceEncoding,
} from '@autoconnect/core';
import type { Config, Logger } from '@autoconnect/config';
import { SourceFile } from '@autoconnect/data-folder';
import {
  addMapJobs,
  isFinalStatus,
  jobIds,
  QueueName,
  type MapJobData,
  type RangeStore,
  type RunPlan,
  type RunStore,
  type SplitJobData,
  type SplitJobResult,
} from '@autoconnect/pipeline';
import { RunEndedError } from './run-ended-error.js';
import { asJobError } from './source-failure.js';

export interface SplitDeps {
  config: Pick<Config, 'DATA_DIR' | 'CHUNK_BYTES' | 'MAX_VILLES' | 'MAX_MODELES' | 'REDIS_PREFIX'>;
  logger: Logger;
  runs: RunStore;
  ranges: RangeStore;
  mapQueue: Queue<MapJobData>;
}

/** Most ranges a run is cut into: a huge file with a small CHUNK_BYTES gets larger ranges instead of a flood of jobs. */
export const MAX_RANGES = 10_000;
/** The header is looked for in the first 64 KiB, then in twice as much, and so on. */
const FIRST_HEADER_READ = 64 * 1024;
/** Bytes read at most to find the header (its own line is bounded by MAX_HEADER_BYTES; empty lines may come first). */
const MAX_PRELUDE_BYTES = 64 * MAX_HEADER_BYTES;

export function createSplitProcessor(deps: SplitDeps) {
  const { config, logger, runs } = deps;

  return async function split(job: Job<SplitJobData, SplitJobResult>): Promise<SplitJobResult> {
    const { runId, source } = job.data;
    if (!(await runs.update(runId, 'splitting'))) throw new RunEndedError(runId);
    const file = await SourceFile.open(config.DATA_DIR, source).catch((err: unknown) => {
      throw asJobError(err);
    });
    try {
      const plan = await planRun(file, config);
      await deps.ranges.savePlan(runId, plan);
      if (!(await runs.markPlanned(runId, { bytesTotal: plan.snapshot.size, headerBytes: plan.dataStart, ranges: plan.ranges }))) {
        throw new RunEndedError(runId);
      }
      await addPlannedJobs(deps, runId, plan);
      logger.info({ runId, source, bytes: plan.snapshot.size, ranges: plan.ranges, rangeBytes: plan.rangeBytes, encoding: plan.encoding }, 'run planned');
      return { ranges: plan.ranges, bytes: plan.snapshot.size };
    } catch (err) {
      throw asJobError(err);
    } finally {
      await file.close();
    }
  };
}

/** The header, the encoding ranges are first read in, and the cut. Bad input is InputError. */
async function planRun(file: SourceFile, config: SplitDeps['config']): Promise<RunPlan> {
  const header = await readHeader(file);
  const size = file.snapshot.size;
  let encoding: SourceEncoding = header.text === 'windows-1252' ? 'windows-1252' : 'utf-8';
  // A header only Windows-1252 reads whole, and UTF-8 bytes too: the file's other bytes decide (rare; read once).
  if (encoding === 'utf-8' && 'error' in header.layouts['utf-8'] && !(await isUtf8File(file))) encoding = 'windows-1252';
  const layout = header.layouts[encoding];
  if ('error' in layout) throw new InputError(layout.error);
  if (header.dataStart >= size) throw new NoDataRowsError();
  const rangeBytes = Math.max(config.CHUNK_BYTES, Math.ceil((size - header.dataStart) / MAX_RANGES));
  return {
    source: file.name,
    snapshot: file.snapshot,
    dataStart: header.dataStart,
    linesBefore: header.linesBefore,
    headerText: header.text,
    layouts: header.layouts,
    encoding,
    rangeBytes,
    ranges: planRanges(header.dataStart, size, rangeBytes).length,
    limits: { villes: config.MAX_VILLES, modeles: config.MAX_MODELES },
  };
}

/** Reads the file's first bytes, more until the header's line end is in them. */
async function readHeader(file: SourceFile): Promise<FileHeader> {
  const size = file.snapshot.size;
  for (let length = FIRST_HEADER_READ; ; length *= 2) {
    // Empty lines before the header are allowed, but not without end.
    if (length > MAX_PRELUDE_BYTES) throw new HeaderTooLongError(MAX_PRELUDE_BYTES);
    const bytes = Buffer.allocUnsafe(Math.min(length, size));
    let filled = 0;
    while (filled < bytes.length) filled += await file.read(bytes.subarray(filled), filled);
    const header = readFileHeader(bytes, filled === size);
    if (header !== null) return header;
  }
}

async function isUtf8File(file: SourceFile): Promise<boolean> {
  const checker = new Utf8Checker();
  const buffer = Buffer.allocUnsafe(1 << 20);
  for (let position = 0; position < file.snapshot.size; ) {
    const n = await file.read(buffer, position);
    if (!checker.push(buffer.subarray(0, n))) return false;
    position += n;
  }
  return checker.end();
}

async function runEnded(runs: RunStore, runId: string): Promise<boolean> {
  const status = await runs.status(runId);
  return status === null || isFinalStatus(status);
}

/**
 * One `map` child per range, added to the run's parent before the split returns (the parent waits for every
 * child, the split included). Job ids follow the range numbers, so a split that runs again adds no twin.
 */
async function addPlannedJobs(deps: SplitDeps, runId: string, plan: RunPlan): Promise<void> {
  const parent = { id: jobIds.aggregate(runId), queue: `${deps.config.REDIS_PREFIX}:${QueueName.aggregate}` };
  const readings = planRanges(plan.dataStart, plan.snapshot.size, plan.rangeBytes).map((range) => ({
    range: range.index,
    start: range.start,
    end: range.end,
    startsAtRecord: range.index === 0,
    encoding: plan.encoding,
    generation: 0,
  }));
  // Cancelled or past its deadline meanwhile: no more jobs for it.
  await addMapJobs(deps.mapQueue, parent, runId, plan, readings, async (from) => {
    if (from > 0 && (await runEnded(deps.runs, runId))) throw new RunEndedError(runId);
  });
}
