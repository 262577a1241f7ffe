// The reduce step: merges every partial of a run, checks the reject ratio, finalises and publishes atomically.
import { UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { checkRejectRatio, emptyPartial, finalise, InputError, mergePartials, type PartialMetrics, type Results } from '@autoconnect/core';
import type { Config, Logger } from '@autoconnect/config';
import {
  parsePartial,
  publishResults,
  type AggregateJobData,
  type AggregateJobResult,
  type PipelineKeys,
  type RunStore,
} from '@autoconnect/pipeline';

export interface AggregateDeps {
  config: Pick<Config, 'MAX_REJECT_RATIO' | 'REDIS_PREFIX'>;
  logger: Logger;
  redis: Redis;
  keys: PipelineKeys;
  runs: RunStore;
}

/** Partials merged per HSCAN batch: the merge holds one running total, never every partial at once. */
const SCAN_COUNT = 200;

export function createAggregateProcessor(deps: AggregateDeps) {
  const { config, logger, redis, keys, runs } = deps;

  async function mergeAll(runId: string): Promise<{ merged: PartialMetrics; count: number }> {
    let merged = emptyPartial();
    let count = 0;
    let cursor = '0';
    do {
      const [next, fields] = await redis.hscanBuffer(keys.run(runId).partials, cursor, 'COUNT', SCAN_COUNT);
      for (let i = 1; i < fields.length; i += 2) {
        merged = mergePartials(merged, parsePartial(fields[i]));
        count++;
      }
      cursor = String(next);
    } while (cursor !== '0');
    return { merged, count };
  }

  return async function aggregate(job: Job<AggregateJobData, AggregateJobResult>): Promise<AggregateJobResult> {
    const { runId } = job.data;
    const before = await runs.get(runId);
    // A repeated delivery after the publication, or a run failed meanwhile: nothing left to do.
    if (!before || before.status === 'completed' || before.status === 'failed') {
      return { runId, rowsValid: before?.progress.rows_valid ?? 0, rowsRejected: before?.progress.rows_rejected ?? 0, chunks: before?.progress.chunks_total ?? 0 };
    }
    await runs.update(runId, 'reducing');
    const { merged, count } = await mergeAll(runId);
    if (count !== before.progress.chunks_total) {
      // Every child has completed, so a missing partial is a defect, not a delay: do not publish.
      throw new UnrecoverableError(`run ${runId} has ${count} partial results for ${before.progress.chunks_total} chunks`);
    }
    let results: Results;
    try {
      checkRejectRatio(merged, config.MAX_REJECT_RATIO);
      // finalise refuses sums past exact integer range (AmountOverflowError): bad input, like too many rejects.
      results = finalise(merged);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      const fields: Record<string, string | number> = {
        rows_valid: merged.rowsValid,
        rows_rejected: merged.rowsRejected,
        samples: JSON.stringify(merged.samples),
      };
      await runs.fail(runId, err.message, fields);
      throw new UnrecoverableError(err.message);
    }
    const published = await publishResults(redis, config.REDIS_PREFIX, {
      runId,
      results,
      rejected: { byReason: merged.rejectedByReason, samples: merged.samples },
    });
    logger.info({ runId, published, rowsValid: merged.rowsValid, rowsRejected: merged.rowsRejected, chunks: count }, 'run reduced');
    return { runId, rowsValid: merged.rowsValid, rowsRejected: merged.rowsRejected, chunks: count };
  };
}
