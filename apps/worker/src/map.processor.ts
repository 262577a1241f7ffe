// The map step: a city-chunk's bytes → validated rows → PartialMetrics, committed with the chunk's deletion in one
// script so a job delivered twice counts once.
import { UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { mapCityChunk } from '@autoconnect/core';
import type { Logger } from '@autoconnect/config';
import {
  commitChunkScript,
  type ChunkLink,
  serialisePartial,
  type MapJobData,
  type MapJobResult,
  type PipelineKeys,
  type RunStore,
} from '@autoconnect/pipeline';

export interface MapDeps {
  logger: Logger;
  redis: Redis;
  /** Carries the chunks' bytes (see ChunkLink); the rest goes through `redis`. */
  chunks: ChunkLink;
  keys: PipelineKeys;
  runs: RunStore;
}

export function createMapProcessor(deps: MapDeps) {
  const { logger, redis, chunks, keys, runs } = deps;

  return async function map(job: Job<MapJobData, MapJobResult>): Promise<MapJobResult> {
    const { runId, chunk, context } = job.data;
    const run = keys.run(runId);
    const skipped: MapJobResult = { chunk, rowsValid: 0, rowsRejected: 0, committed: false };
    const status = await runs.status(runId);
    if (status === null || status === 'failed' || status === 'completed') return skipped;

    // The link's own buffer, valid until its next request: mapped before anything else is awaited.
    const data = await chunks.getBytes(run.chunk(chunk));
    if (data === null) {
      // An earlier delivery committed this chunk (its partial is stored and the chunk deleted in one step)...
      if ((await redis.hexists(run.partials, String(chunk))) === 1) return skipped;
      // ...or the split discarded it, with the attempt that read the file in the wrong encoding.
      const restart = await runs.splitRestart(runId);
      if (restart !== null && chunk < restart.firstChunk) return skipped;
      throw new UnrecoverableError(`chunk ${chunk} of run ${runId} is missing from Redis`);
    }
    const partial = mapCityChunk(data, context);
    const reasons = Object.entries(partial.rejectedByReason).flatMap(([reason, count]) => [reason, count ?? 0]);
    const committed = await commitChunkScript.run(
      redis,
      [run.report, run.partials, run.chunk(chunk), run.inflight],
      [chunk, serialisePartial(partial), partial.rowsValid, partial.rowsRejected, ...reasons],
    );
    if (committed !== 1) logger.debug({ runId, chunk, committed }, 'chunk already committed or run ended');
    return { chunk, rowsValid: partial.rowsValid, rowsRejected: partial.rowsRejected, committed: committed === 1 };
  };
}
