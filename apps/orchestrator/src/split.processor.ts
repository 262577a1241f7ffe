// The split step: streams the run's file through the core's CityChunker, stores every city-chunk in Redis and adds
// its `map` job to the run's parent while still reading, pausing while too much chunk data waits unmapped.
import { setTimeout as delay } from 'node:timers/promises';
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { CityChunker, InputError, Utf8Checker, type ChunkContext, type CityChunk, type SourceEncoding } from '@autoconnect/core';
import type { Config, Logger } from '@autoconnect/config';
import {
  childJobOptions,
  type ChunkLink,
  jobIds,
  QueueName,
  storeChunkScript,
  type MapJobData,
  type PipelineKeys,
  type RunStore,
  type SplitJobData,
  type SplitJobResult,
} from '@autoconnect/pipeline';
import { detectEncoding, openSource, readSource, type SourceFile } from './source-file.js';
import { RunEndedError } from './run-ended-error.js';

export interface SplitDeps {
  config: Pick<Config, 'DATA_DIR' | 'CHUNK_ROWS' | 'MAX_INFLIGHT_MB' | 'REDIS_PREFIX'>;
  logger: Logger;
  redis: Redis;
  /** Carries the chunks' bytes (see ChunkLink); the rest goes through `redis`. */
  chunks: ChunkLink;
  keys: PipelineKeys;
  runs: RunStore;
  mapQueue: Queue<MapJobData>;
  /** How the file's bytes are read (readSource by default; tests hold a read back). */
  readSource?: (file: SourceFile, source: string) => AsyncIterable<Buffer>;
}

/**
 * A file is split as UTF-8 and checked as it is read, each piece before the chunker sees it, and its chunks
 * are shipped and mapped at once. A byte that is not UTF-8 means the file is Windows-1252 (Excel's French
 * export): what the attempt shipped is discarded (chunks, partials and counts: RunStore.discardSplitAttempt)
 * and the split starts over from the start of the file, numbering its chunks after every number the first
 * attempt could have used, so the discarded chunks' map jobs, which may still run, find nothing to map.
 */
const FIRST_ENCODING: SourceEncoding = 'utf-8';
const FALLBACK_ENCODING: SourceEncoding = 'windows-1252';

class WrongEncoding extends Error {
  /** `chunksCut`: how many chunks the attempt had cut, the bound of the chunk numbers it used. */
  constructor(
    readonly encoding: SourceEncoding,
    readonly chunksCut: number,
  ) {
    super(`the file reads as ${encoding}`);
  }
}

/** While it waits for workers to catch up, the split looks at the in-flight counter after 1 ms, then backs off
 * to every 50 ms: a short wait (one chunk mapped) ends quickly, a long one costs little. */
const BACKPRESSURE_FIRST_POLL_MS = 1;
const BACKPRESSURE_MAX_POLL_MS = 50;
/**
 * A chunk's bytes wait under their incoming key only until storeChunkScript, sent as soon as SET answered, renames
 * them into place; the expiry only clears bytes left there by a split that died in between.
 */
const INCOMING_CHUNK_TTL_MS = 60_000;
/** The report's bytes_read is written at most this often. */
const PROGRESS_INTERVAL_MS = 250;
/**
 * The chunker may hold twice MAX_INFLIGHT_MB in unfinished chunks. Every ville's chunk fills at once, so with a
 * buffer as small as the in-flight bound (16 MB by default; ~20 villes x 50,000 rows x ~48 bytes want ~48 MB)
 * the largest was cut early again and again: a 10 M-row file made 319 chunks instead of 211, and its run took
 * 5.3-5.8 s instead of 4.6-4.7 s. In-flight data in Redis keeps its own bound: a backlog of mapped-later chunks
 * is what a run's tail waits on, so a larger MAX_INFLIGHT_MB gained less (4.8-5.2 s).
 */
const CHUNKER_BUFFER_FACTOR = 2;

export function createSplitProcessor(deps: SplitDeps) {
  const { config, logger, redis, chunks, keys, runs, mapQueue } = deps;
  const read = deps.readSource ?? readSource;
  const maxInflightBytes = Math.floor(config.MAX_INFLIGHT_MB * 1024 * 1024);
  const parentQueue = `${config.REDIS_PREFIX}:${QueueName.aggregate}`;

  return async function split(job: Job<SplitJobData, SplitJobResult>): Promise<SplitJobResult> {
    const { runId, source } = job.data;
    const run = keys.run(runId);
    if (!(await runs.update(runId, 'splitting'))) throw new RunEndedError(runId);

    const file = await openSource(config.DATA_DIR, source);
    await runs.update(runId, null, { bytes_total: file.size, bytes_read: 0 });

    /**
     * One pass over the file as `encoding`, its chunks numbered from `firstChunk`; with a `checker`, ended by
     * WrongEncoding (nothing more shipped) at the first piece of the file that is not UTF-8.
     */
    async function splitAs(encoding: SourceEncoding, firstChunk: number, checker: Utf8Checker | null): Promise<{ chunks: number; rows: number; encoding: SourceEncoding } | WrongEncoding> {
      // The chunker's buffer is bounded by the in-flight bound too: the orchestrator's memory is bounded like Redis's.
      const chunker = new CityChunker({ chunkRows: config.CHUNK_ROWS, encoding, maxBufferedBytes: maxInflightBytes * CHUNKER_BUFFER_FACTOR });
      let context: ChunkContext | null = null;
      let chunkNumber = 0;
      let chunksCut = 0;
      let rows = 0;
      /** Set once the attempt has failed or is abandoned: chunks still waiting on the chain are not shipped. */
      let stopped = false;

      /** Waits until this chunk fits under the in-flight bound (a lone chunk bigger than the bound is let through). */
      async function waitForRoom(size: number): Promise<void> {
        for (let pause = BACKPRESSURE_FIRST_POLL_MS; ; pause = Math.min(pause * 2, BACKPRESSURE_MAX_POLL_MS)) {
          const inflight = Number(await redis.get(run.inflight)) || 0;
          if (inflight === 0 || inflight + size <= maxInflightBytes) return;
          const status = await runs.status(runId);
          if (status === 'failed' || status === 'completed') throw new RunEndedError(runId);
          await delay(pause);
        }
      }

      /** Map jobs being added (see emit); a failure is kept in shippingError. */
      const adds = new Set<Promise<void>>();

      // Chunk numbers follow the chunker's deterministic output order, so a split restarted from scratch
      // replays the same numbers: chunks already stored or mapped are neither stored nor counted again.
      async function emit(chunk: CityChunk): Promise<void> {
        if (stopped) return;
        const n = firstChunk + chunkNumber++;
        rows += chunk.rows;
        context ??= { layout: chunker.layout!, encoding };
        await waitForRoom(chunk.data.length);
        await chunks.setBytes(run.incomingChunk(n), chunk.data, INCOMING_CHUNK_TTL_MS);
        // Redis has the bytes once SET answered: the next chunks are written over them.
        chunker.release(chunk.data);
        const stored = await storeChunkScript.run(redis, [run.report, run.partials, run.chunk(n), run.inflight, run.incomingChunk(n)], [n]);
        if (stored === -1) throw new RunEndedError(runId);
        if (stored === 0) return; // mapped by an earlier attempt
        const data: MapJobData = { runId, chunk: n, cityKey: chunk.cityKey, rows: chunk.rows, bytes: chunk.data.length, context };
        // A duplicate job id (the map job of an earlier attempt still exists) is ignored by BullMQ. The chain
        // goes on to the next chunk's bytes while the job is added (ioredis keeps one connection's commands in
        // order); every add is awaited before the split returns, as the parent needs all its children.
        const adding = mapQueue
          .add(QueueName.map, data, { ...childJobOptions, jobId: jobIds.map(runId, n), parent: { id: jobIds.aggregate(runId), queue: parentQueue } })
          .then(
            () => undefined,
            (err: unknown) => {
              shippingError ??= err;
            },
          );
        adds.add(adding);
        void adding.finally(() => adds.delete(adding));
      }

      // Chunks are shipped (stored, then their map job added) one after another on a chain of their own while
      // the file is read and cut further: the split's CPU work does not wait on Redis's replies. At most
      // maxInflightBytes of chunks wait on the chain (then reading waits for the oldest to leave, no longer), so
      // memory stays bounded.
      let shipping: Promise<void> = Promise.resolve();
      let shippingBytes = 0;
      let shippingError: unknown = null;
      /** The shipment of each chunk waiting on the chain, oldest first (each leaves once done). */
      const shipments: Promise<void>[] = [];
      const ship = (chunk: CityChunk): void => {
        shippingBytes += chunk.data.length;
        shipping = shipping.then(async () => {
          try {
            await emit(chunk);
          } finally {
            shippingBytes -= chunk.data.length;
            shipments.shift();
          }
        });
        // Marks the chain handled (a failure is rethrown where the chain is awaited) and stops reading early.
        const handled = shipping.catch((err: unknown) => {
          shippingError ??= err;
        });
        shipments.push(handled);
      };
      /** Waits until at most maxInflightBytes of chunks wait on the chain (or the chain failed). */
      const waitForShipments = async (): Promise<void> => {
        while (shippingBytes > maxInflightBytes && shippingError === null && shipments.length > 0) await shipments[0];
      };

      let lastProgress = Date.now();
      try {
        for await (const bytes of read(file, source)) {
          if (shippingError !== null) break;
          if (checker !== null && !checker.push(bytes)) throw new WrongEncoding(FALLBACK_ENCODING, chunksCut);
          const cut = chunker.push(bytes);
          chunksCut += cut.length;
          for (const chunk of cut) ship(chunk);
          if (shippingBytes > maxInflightBytes) await waitForShipments();
          if (Date.now() - lastProgress >= PROGRESS_INTERVAL_MS) {
            lastProgress = Date.now();
            await runs.update(runId, null, { bytes_read: chunker.bytesRead, chunks_total: chunkNumber });
          }
        }
        if (checker !== null && !checker.end()) throw new WrongEncoding(FALLBACK_ENCODING, chunksCut);
        if (shippingError === null) for (const chunk of chunker.end()) ship(chunk);
        await shipping;
        await Promise.all(adds);
        if (shippingError !== null) throw shippingError;
      } catch (err) {
        // Nothing of this attempt is written after it ends.
        stopped = true;
        await shipping.catch(() => undefined);
        await Promise.all(adds);
        if (err instanceof WrongEncoding) return err;
        if (err instanceof InputError) {
          // Bad input found before the whole file was checked: the file may be Windows-1252 further on, and
          // read as such, bad in another way or not at all.
          if (checker !== null && (await detectEncoding(file, source)) !== encoding) return new WrongEncoding(FALLBACK_ENCODING, chunksCut);
          throw new UnrecoverableError(err.message);
        }
        throw err;
      }
      return { chunks: chunkNumber, rows, encoding };
    }

    // A split restarted after it discarded an attempt goes on in the encoding it settled on.
    const restart = await runs.splitRestart(runId);
    let outcome = restart === null ? await splitAs(FIRST_ENCODING, 0, new Utf8Checker()) : await splitAs(restart.encoding, restart.firstChunk, null);
    if (outcome instanceof WrongEncoding) {
      const { encoding, chunksCut } = outcome;
      if (!(await runs.discardSplitAttempt(runId, chunksCut, encoding))) throw new RunEndedError(runId);
      logger.info({ runId, source, encoding, chunksDiscarded: chunksCut }, 'file is not UTF-8: split again');
      outcome = await splitAs(encoding, chunksCut, null);
      if (outcome instanceof WrongEncoding) throw new Error(`the split of '${source}' was abandoned twice`);
    }
    await runs.update(runId, 'mapping', { bytes_read: file.size, chunks_total: outcome.chunks });
    logger.info({ runId, source, ...outcome }, 'file split');
    return { chunks: outcome.chunks, bytes: file.size, rows: outcome.rows };
  };
}
