// Publishing a run's results: one script switches the `current` pointer with the results it names, so readers
// see the old results or the new ones, never a mix; the last KEEP_RESULTS runs stay readable by id.
import type { Redis } from 'ioredis';
import type { RejectReason, RejectSample, Results } from '@autoconnect/core';
import { pipelineKeys } from './redis-keys.js';
import { scripted } from './scripts.js';

export const KEEP_RESULTS = 10;

/**
 * Results as JSON text in pieces (MetricsMerger.finaliseJsonPieces): appended to Redis 64 KiB at a time,
 * so a run of many villes never holds its results whole, neither as text nor as a command to send.
 */
export interface ResultsPieces {
  pieces: Iterable<string>;
  rowsValid: number;
  rowsRejected: number;
}

/**
 * Bytes of results text sent per APPEND. Below V8's largest regular object (128 KiB): a longer string is put in
 * its large-object space, which only a full collection frees, and batches of 1 MiB made the aggregator's memory
 * grow by about the size of the results while it sent them (bench/results/findings.md, "Sixth round").
 */
const APPEND_BYTES = 64 * 1024;

export interface PublishInput {
  runId: string;
  results: Results | ResultsPieces;
  /** The run's rejected rows, written to its report as it completes. */
  rejected?: { byReason: Partial<Record<RejectReason, number>>; samples: RejectSample[] };
  /** What users should know about the run (see RunReport.warnings). */
  warnings?: string[];
  now?: Date;
}

/**
 * Publishes `results` as the current results of run `runId` and completes its report (when it has one).
 * Returns false, publishing nothing, when the run had already ended (completed before, or failed).
 */
export async function publishResults(redis: Redis, prefix: string, input: PublishInput): Promise<boolean> {
  const keys = pipelineKeys(prefix);
  const run = keys.run(input.runId);
  const now = input.now ?? new Date();
  const { results } = input;
  // The same text JSON.stringify(PublishedResults) gives, the results' own part written once.
  const head = `{"runId":${JSON.stringify(input.runId)},"publishedAt":${JSON.stringify(now.toISOString())},"results":`;
  let publishedJson = '';
  let counts: { rowsValid: number; rowsRejected: number };
  if ('pieces' in results) {
    await appendPieces(redis, run.incomingResults, [[head], results.pieces, ['}']]);
    counts = results;
  } else {
    publishedJson = `${head}${JSON.stringify(results)}}`;
    counts = { rowsValid: results.rows_valid, rowsRejected: results.rows_rejected };
  }
  const fields: Array<string | number> = ['rows_valid', counts.rowsValid, 'rows_rejected', counts.rowsRejected];
  if (input.warnings && input.warnings.length > 0) fields.push('warnings', JSON.stringify(input.warnings));
  if (input.rejected) {
    fields.push('samples', JSON.stringify(input.rejected.samples));
    for (const [reason, count] of Object.entries(input.rejected.byReason)) fields.push(`rej:${reason}`, count ?? 0);
  }
  const done = await scripted(redis).publishResults(
    ...[run.report, keys.activeRun, keys.currentResults, keys.resultsIndex, keys.results(input.runId), run.plan, run.ranges, run.rangeGenerations, keys.runDeadlines, run.incomingResults],
    ...[input.runId, publishedJson, now.getTime(), now.toISOString(), KEEP_RESULTS, keys.results(''), keys.resultsChannel, ...fields],
  );
  return done === 1;
}

/** Writes the pieces, in order, to a fresh string key, about APPEND_BYTES per command. */
async function appendPieces(redis: Redis, key: string, sources: Array<Iterable<string>>): Promise<void> {
  await redis.del(key);
  let batch: string[] = [];
  let length = 0;
  for (const source of sources) {
    for (const piece of source) {
      batch.push(piece);
      length += piece.length;
      if (length >= APPEND_BYTES) {
        await redis.append(key, batch.join(''));
        batch = [];
        length = 0;
      }
    }
  }
  if (length > 0) await redis.append(key, batch.join(''));
}
