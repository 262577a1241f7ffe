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
  type RunKeys,
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

/** What an attempt counted: chunks shipped (numbered from its first chunk), data rows, in which encoding. */
interface AttemptOutcome {
  chunks: number;
  rows: number;
  encoding: SourceEncoding;
}

export function createSplitProcessor(deps: SplitDeps) {
  const { config, logger, runs } = deps;
  const read = deps.readSource ?? readSource;
  const maxInflightBytes = Math.floor(config.MAX_INFLIGHT_MB * 1024 * 1024);

  return async function split(job: Job<SplitJobData, SplitJobResult>): Promise<SplitJobResult> {
    const { runId, source } = job.data;
    if (!(await runs.update(runId, 'splitting'))) throw new RunEndedError(runId);

    const file = await openSource(config.DATA_DIR, source);
    await runs.update(runId, null, { bytes_total: file.size, bytes_read: 0 });
    const attempt = (encoding: SourceEncoding, firstChunk: number, checker: Utf8Checker | null) =>
      new SplitAttempt(deps, { runId, source, file, read, maxInflightBytes }, encoding, firstChunk, checker).run();

    // A split restarted after it discarded an attempt goes on in the encoding it settled on.
    const restart = await runs.splitRestart(runId);
    let outcome = restart === null ? await attempt(FIRST_ENCODING, 0, new Utf8Checker()) : await attempt(restart.encoding, restart.firstChunk, null);
    if (outcome instanceof WrongEncoding) {
      const { encoding, chunksCut } = outcome;
      if (!(await runs.discardSplitAttempt(runId, chunksCut, encoding))) throw new RunEndedError(runId);
      logger.info({ runId, source, encoding, chunksDiscarded: chunksCut }, 'file is not UTF-8: split again');
      outcome = await attempt(encoding, chunksCut, null);
      if (outcome instanceof WrongEncoding) throw new Error(`the split of '${source}' was abandoned twice`);
    }
    await runs.update(runId, 'mapping', { bytes_read: file.size, chunks_total: outcome.chunks });
    logger.info({ runId, source, ...outcome }, 'file split');
    return { chunks: outcome.chunks, bytes: file.size, rows: outcome.rows };
  };
}

/** The run an attempt splits, and how it reads it. */
interface AttemptTarget {
  runId: string;
  source: string;
  file: SourceFile;
  read: (file: SourceFile, source: string) => AsyncIterable<Buffer>;
  maxInflightBytes: number;
}

/**
 * One pass over the run's file as `encoding`, its chunks numbered from `firstChunk`; with a `checker`, ended by
 * WrongEncoding (nothing more shipped) at the first piece of the file that is not UTF-8.
 *
 * Chunks are shipped (stored, then their map job added) one after another on a chain of their own while the file
 * is read and cut further: the split's CPU work does not wait on Redis's replies. At most maxInflightBytes of
 * chunks wait on the chain (then reading waits for the oldest to leave, no longer), so memory stays bounded.
 */
class SplitAttempt {
  private readonly chunker: CityChunker;
  private readonly runKeys: RunKeys;
  private context: ChunkContext | null = null;
  /** Chunks shipped so far (the next one's number is firstChunk + chunkNumber). */
  private chunkNumber = 0;
  /** Chunks the chunker has cut so far, shipped or not. */
  private chunksCut = 0;
  private rows = 0;
  /** Set once the attempt has failed or is abandoned: chunks still waiting on the chain are not shipped. */
  private stopped = false;
  private shipping: Promise<void> = Promise.resolve();
  private shippingBytes = 0;
  private shippingError: unknown = null;
  /** The shipment of each chunk waiting on the chain, oldest first (each leaves once done). */
  private readonly shipments: Promise<void>[] = [];
  /** Map jobs being added (see emit); a failure is kept in shippingError. */
  private readonly adds = new Set<Promise<void>>();

  constructor(
    private readonly deps: SplitDeps,
    private readonly target: AttemptTarget,
    private readonly encoding: SourceEncoding,
    private readonly firstChunk: number,
    private readonly checker: Utf8Checker | null,
  ) {
    this.runKeys = deps.keys.run(target.runId);
    // The chunker's buffer is bounded by the in-flight bound too: the orchestrator's memory is bounded like Redis's.
    this.chunker = new CityChunker({
      chunkRows: deps.config.CHUNK_ROWS,
      encoding,
      maxBufferedBytes: target.maxInflightBytes * CHUNKER_BUFFER_FACTOR,
    });
  }

  async run(): Promise<AttemptOutcome | WrongEncoding> {
    const { runs } = this.deps;
    const { runId, source, file, read, maxInflightBytes } = this.target;
    const { chunker, checker } = this;
    let lastProgress = Date.now();
    try {
      for await (const bytes of read(file, source)) {
        if (this.shippingError !== null) break;
        if (checker !== null && !checker.push(bytes)) throw new WrongEncoding(FALLBACK_ENCODING, this.chunksCut);
        const cut = chunker.push(bytes);
        this.chunksCut += cut.length;
        for (const chunk of cut) this.ship(chunk);
        if (this.shippingBytes > maxInflightBytes) await this.waitForShipments();
        if (Date.now() - lastProgress >= PROGRESS_INTERVAL_MS) {
          lastProgress = Date.now();
          await runs.update(runId, null, { bytes_read: chunker.bytesRead, chunks_total: this.chunkNumber });
        }
      }
      if (checker !== null && !checker.end()) throw new WrongEncoding(FALLBACK_ENCODING, this.chunksCut);
      if (this.shippingError === null) for (const chunk of chunker.end()) this.ship(chunk);
      await this.shipping;
      await Promise.all(this.adds);
      if (this.shippingError !== null) throw this.shippingError;
    } catch (err) {
      // Nothing of this attempt is written after it ends.
      this.stopped = true;
      await this.shipping.catch(() => undefined);
      await Promise.all(this.adds);
      if (err instanceof WrongEncoding) return err;
      if (err instanceof InputError) {
        // Bad input found before the whole file was checked: the file may be Windows-1252 further on, and
        // read as such, bad in another way or not at all.
        if (checker !== null && (await detectEncoding(file, source)) !== this.encoding) return new WrongEncoding(FALLBACK_ENCODING, this.chunksCut);
        throw new UnrecoverableError(err.message);
      }
      throw err;
    }
    return { chunks: this.chunkNumber, rows: this.rows, encoding: this.encoding };
  }

  /** Puts a chunk on the shipping chain. */
  private ship(chunk: CityChunk): void {
    this.shippingBytes += chunk.data.length;
    this.shipping = this.shipping.then(async () => {
      try {
        await this.emit(chunk);
      } finally {
        this.shippingBytes -= chunk.data.length;
        this.shipments.shift();
      }
    });
    // Marks the chain handled (a failure is rethrown where the chain is awaited) and stops reading early.
    const handled = this.shipping.catch((err: unknown) => {
      this.shippingError ??= err;
    });
    this.shipments.push(handled);
  }

  /** Waits until at most maxInflightBytes of chunks wait on the chain (or the chain failed). */
  private async waitForShipments(): Promise<void> {
    while (this.shippingBytes > this.target.maxInflightBytes && this.shippingError === null && this.shipments.length > 0) await this.shipments[0];
  }

  /**
   * Stores a chunk and adds its map job. Chunk numbers follow the chunker's deterministic output order, so a
   * split restarted from scratch replays the same numbers: chunks already stored or mapped are neither stored
   * nor counted again.
   */
  private async emit(chunk: CityChunk): Promise<void> {
    if (this.stopped) return;
    const { config, chunks, redis, mapQueue } = this.deps;
    const { runId } = this.target;
    const run = this.runKeys;
    const n = this.firstChunk + this.chunkNumber++;
    this.rows += chunk.rows;
    this.context ??= { layout: this.chunker.layout!, encoding: this.encoding };
    await this.waitForRoom(chunk.data.length);
    await chunks.setBytes(run.incomingChunk(n), chunk.data, INCOMING_CHUNK_TTL_MS);
    // Redis has the bytes once SET answered: the next chunks are written over them.
    this.chunker.release(chunk.data);
    const stored = await storeChunkScript.run(redis, [run.report, run.partials, run.chunk(n), run.inflight, run.incomingChunk(n)], [n]);
    if (stored === -1) throw new RunEndedError(runId);
    if (stored === 0) return; // mapped by an earlier attempt
    const data: MapJobData = { runId, chunk: n, cityKey: chunk.cityKey, rows: chunk.rows, bytes: chunk.data.length, context: this.context };
    // A duplicate job id (the map job of an earlier attempt still exists) is ignored by BullMQ. The chain goes on
    // to the next chunk's bytes while the job is added (ioredis keeps one connection's commands in order); every
    // add is awaited before the attempt ends, as the parent needs all its children.
    const parent = { id: jobIds.aggregate(runId), queue: `${config.REDIS_PREFIX}:${QueueName.aggregate}` };
    const adding = mapQueue.add(QueueName.map, data, { ...childJobOptions, jobId: jobIds.map(runId, n), parent }).then(
      () => undefined,
      (err: unknown) => {
        this.shippingError ??= err;
      },
    );
    this.adds.add(adding);
    void adding.finally(() => this.adds.delete(adding));
  }

  /** Waits until a chunk of `size` bytes fits under the in-flight bound (a lone chunk bigger than the bound is let through). */
  private async waitForRoom(size: number): Promise<void> {
    const { redis, runs } = this.deps;
    for (let pause = BACKPRESSURE_FIRST_POLL_MS; ; pause = Math.min(pause * 2, BACKPRESSURE_MAX_POLL_MS)) {
      const inflight = Number(await redis.get(this.runKeys.inflight)) || 0;
      if (inflight === 0 || inflight + size <= this.target.maxInflightBytes) return;
      const status = await runs.status(this.target.runId);
      if (status === 'failed' || status === 'completed') throw new RunEndedError(this.target.runId);
      await delay(pause);
    }
  }
}
