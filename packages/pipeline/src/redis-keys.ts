// Every Redis key the pipeline writes besides BullMQ's own, all under the same prefix as the queues.

export interface RunKeys {
  /** Hash: the run report's fields. */
  report: string;
  /** Hash: chunk number → PartialMetrics JSON. */
  partials: string;
  /** Integer: bytes of chunk data stored and not yet mapped. */
  inflight: string;
  /** String: one city-chunk's bytes. */
  chunk(n: number): string;
  /** What every chunk key starts with (the chunk number follows). */
  chunkPrefix: string;
  /** String: a city-chunk's bytes on their way in, before storeChunkScript renames them into place. */
  incomingChunk(n: number): string;
  /** Pattern matching every chunk key of the run (for clean-up after a failure). */
  chunkPattern: string;
}

export interface PipelineKeys {
  prefix: string;
  /** Sorted set: run ids by creation time (ms). */
  runs: string;
  /** String: the id of the active run. */
  activeRun: string;
  /** String: the id of the run whose results are published. */
  currentResults: string;
  /** Sorted set: ids of runs whose results are kept, by publication time (ms). */
  resultsIndex: string;
  /** String: a completed run's PublishedResults JSON. */
  results(runId: string): string;
  /** Pub/sub channel: the id of each newly published run. */
  resultsChannel: string;
  /** Prefix of run report keys, for scripts that read another run's report. */
  reportPrefix: string;
  run(runId: string): RunKeys;
}

export function pipelineKeys(prefix: string): PipelineKeys {
  const reportPrefix = `${prefix}:run:`;
  return {
    prefix,
    runs: `${prefix}:runs`,
    activeRun: `${prefix}:active-run`,
    currentResults: `${prefix}:results:current`,
    resultsIndex: `${prefix}:results:index`,
    results: (runId) => `${prefix}:results:${runId}`,
    resultsChannel: `${prefix}:results`,
    reportPrefix,
    run: (runId) => {
      const base = `${reportPrefix}${runId}`;
      return {
        report: base,
        partials: `${base}:partials`,
        inflight: `${base}:inflight`,
        chunk: (n) => `${base}:chunk:${n}`,
        chunkPrefix: `${base}:chunk:`,
        incomingChunk: (n) => `${base}:chunk:${n}:incoming`,
        chunkPattern: `${base}:chunk:*`,
      };
    },
  };
}
