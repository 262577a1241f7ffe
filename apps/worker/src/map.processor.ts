// The map step: a worker reads its byte range of the run's file from DATA_DIR (the planned snapshot, nothing
// else), maps it with the core's RangeMapper and commits the outcome: a job delivered twice stores one outcome
// and counts once (see RangeStore.commit).
import { UnrecoverableError, type Job } from 'bullmq';
import { InputError, NotUtf8Error, RangeMapper, type RangeOutcome, type SourceEncoding } from '@autoconnect/core';
import type { Config, Logger } from '@autoconnect/config';
import { SourceChangedError, SourceFile, SourceMissingError, SourceRefusedError, SourceUnreadableError } from '@autoconnect/data-folder';
import { isFinalStatus, type MapJobData, type MapJobResult, type RangeStore, type RunStore } from '@autoconnect/pipeline';

export interface MapDeps {
  config: Pick<Config, 'DATA_DIR'>;
  logger: Logger;
  runs: RunStore;
  ranges: RangeStore;
}

/** Bytes per read: the range's bytes come in reads of this size; its last record is finished in smaller ones. */
const READ_BYTES = 1 << 20;
const TAIL_READ_BYTES = 64 * 1024;

function isSourceError(err: unknown): err is Error {
  return err instanceof SourceRefusedError || err instanceof SourceMissingError || err instanceof SourceUnreadableError || err instanceof SourceChangedError;
}

export function createMapProcessor(deps: MapDeps) {
  const { config, logger, runs, ranges } = deps;
  // Read buffers, one per job running at once (WORKER_CONCURRENCY), reused from job to job.
  const buffers: Buffer[] = [];

  return async function map(job: Job<MapJobData, MapJobResult>): Promise<MapJobResult> {
    const data = job.data;
    const skipped: MapJobResult = { range: data.range, rowsValid: 0, rowsRejected: 0, committed: false };
    const status = await runs.status(data.runId);
    if (status === null || isFinalStatus(status)) {
      await leaveParent(job);
      return skipped;
    }

    let outcome: RangeOutcome;
    let grew: boolean;
    const buffer = buffers.pop() ?? Buffer.allocUnsafeSlow(READ_BYTES);
    try {
      const file = await SourceFile.open(config.DATA_DIR, data.source, data.snapshot);
      try {
        grew = file.grew;
        outcome = await mapRange(file, data, buffer);
      } finally {
        await file.close();
      }
    } catch (err) {
      // Bad input (a limit passed, a header this encoding cannot read) and a source that is gone or changed are the
      // file's fault: not retried, and the message is the run's error as it is.
      if (err instanceof InputError || isSourceError(err)) throw new UnrecoverableError(err.message);
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(`bytes ${data.start}-${data.end} of the file (range ${data.range}) could not be read: ${reason}`);
    } finally {
      buffers.push(buffer);
    }
    const committed = await ranges.commit(data, outcome, grew);
    if (committed !== 'stored') logger.debug({ runId: data.runId, range: data.range, generation: data.generation, committed }, 'range outcome not stored');
    if (committed === 'run-ended') await leaveParent(job);
    return { range: data.range, rowsValid: outcome.rowsValid, rowsRejected: outcome.rowsRejected, committed: committed === 'stored' };
  };
}

/**
 * A job of a run that has ended (cancelled, past its deadline, failed) leaves its parent before it completes, so
 * its result is not added to what the parent keeps of its children (the parent may be done with them already).
 */
async function leaveParent(job: Job<MapJobData, MapJobResult>): Promise<void> {
  if (job.parentKey) await job.removeChildDependency().catch(() => false);
}

/** The range read as the job says; as Windows-1252 when its bytes prove the file is not UTF-8. */
async function mapRange(file: SourceFile, data: MapJobData, buffer: Buffer): Promise<RangeOutcome> {
  let encoding: SourceEncoding = data.encoding;
  for (;;) {
    const layout = data.layouts[encoding];
    if ('error' in layout) throw new InputError(layout.error);
    const mapper = new RangeMapper({ layout: layout.layout, encoding, start: data.start, end: data.end, startsAtRecord: data.startsAtRecord, limits: data.limits });
    try {
      let position = mapper.readFrom;
      while (!mapper.done) {
        // Up to the range's end in large reads, then the last record's end in small ones.
        const want = position < data.end ? Math.min(buffer.length, data.end - position) : TAIL_READ_BYTES;
        const n = await file.read(buffer.subarray(0, want), position);
        if (n === 0) {
          mapper.end();
          break;
        }
        mapper.push(buffer.subarray(0, n));
        position += n;
      }
      return mapper.outcome();
    } catch (err) {
      if (err instanceof NotUtf8Error && encoding === 'utf-8') {
        encoding = 'windows-1252';
        continue;
      }
      throw err;
    }
  }
}
