// Every Redis key the pipeline writes besides BullMQ's own, all under the same prefix as the queues.

export interface RunKeys {
  /** Hash: the run report's fields. */
  report: string;
  /** String: the run's plan (RunPlan JSON), written by the split. */
  plan: string;
  /** Hash: range number → the stored outcome of its mapping (RangeMeta JSON). */
  ranges: string;
  /** Hash: range number → the generation of its stored outcome (a later mapping replaces an earlier one). */
  rangeGenerations: string;
  /** Hash: one range's partial metrics, ville → VillePartial JSON. */
  range(n: number): string;
  /** Hash: a range's partial metrics on their way in, renamed to `range(n)` by the commit. */
  incomingRange(n: number, generation: number): string;
  /** String: the run's results on their way in, appended piece by piece, renamed to `results(runId)` when published. */
  incomingResults: string;
  /** Pattern matching every scratch key of the run (all but the report), for clean-up. */
  scratchPattern: string;
}

export interface PipelineKeys {
  prefix: string;
  /** Sorted set: run ids by creation time (ms). */
  runs: string;
  /** String: the id of the active run. */
  activeRun: string;
  /** Sorted set: ids of the runs that have not ended, by deadline (ms, Redis's clock). */
  runDeadlines: string;
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
    runDeadlines: `${prefix}:run-deadlines`,
    currentResults: `${prefix}:results:current`,
    resultsIndex: `${prefix}:results:index`,
    results: (runId) => `${prefix}:results:${runId}`,
    resultsChannel: `${prefix}:results`,
    reportPrefix,
    run: (runId) => {
      const base = `${reportPrefix}${runId}`;
      return {
        report: base,
        plan: `${base}:plan`,
        ranges: `${base}:ranges`,
        rangeGenerations: `${base}:range-generations`,
        range: (n) => `${base}:range:${n}`,
        incomingRange: (n, generation) => `${base}:range:${n}:${generation}:incoming`,
        incomingResults: `${base}:results:incoming`,
        scratchPattern: `${base}:*`,
      };
    },
  };
}
