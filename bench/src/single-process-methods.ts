// The methods measured in a process of their own (one per measurement), by name.
import type { ComparedMetrics } from './compare-results.js';
import { coreAggregator } from './methods/core-aggregator.js';
import { duckdbSql } from './methods/duckdb-sql.js';
import { naiveFastCsv } from './methods/naive-fast-csv.js';

export const SINGLE_PROCESS_METHODS = {
  duckdb: duckdbSql,
  core: coreAggregator,
  'naive-fast-csv': naiveFastCsv,
} satisfies Record<string, (path: string) => Promise<ComparedMetrics>>;

export type SingleProcessMethod = keyof typeof SINGLE_PROCESS_METHODS;

export function isSingleProcessMethod(name: string): name is SingleProcessMethod {
  return Object.hasOwn(SINGLE_PROCESS_METHODS, name);
}

/** What a method's process sends back over IPC. */
export interface MethodOutcome {
  seconds: number;
  /** User + system CPU seconds of the work (every thread of the process). */
  cpuSeconds: number;
  /** Peak resident set of the process, bytes. */
  peakRssBytes: number;
  metrics: ComparedMetrics;
}
