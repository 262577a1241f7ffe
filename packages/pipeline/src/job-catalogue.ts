// The typed job catalogue: for every queue, the payload its producer sends and the result its processor returns.
import type { LayoutOutcome, SourceEncoding, TextKind } from '@autoconnect/core';
import type { SourceSnapshot } from '@autoconnect/data-folder';
import type { QueueName } from './queue-names.js';

/** The parent job of a run; its job id is the run id. */
export interface AggregateJobData {
  runId: string;
}

export interface AggregateJobResult {
  runId: string;
  rowsValid: number;
  rowsRejected: number;
  ranges: number;
}

/** Plans the run: checks and snapshots its source, reads the header, adds one `map` child per byte range. */
export interface SplitJobData {
  runId: string;
  /** File name inside DATA_DIR. */
  source: string;
}

export interface SplitJobResult {
  ranges: number;
  bytes: number;
}

/** How many distinct values a run may meet (MAX_VILLES, MAX_MODELES when it was planned). */
export interface RunLimits {
  villes: number;
  modeles: number;
}

/** What the split decided, kept for the reduce (and read by tests). */
export interface RunPlan {
  source: string;
  snapshot: SourceSnapshot;
  /** Where the data starts (after the header's line end), and the line ends before it. */
  dataStart: number;
  linesBefore: number;
  headerText: TextKind;
  /** The header read as each encoding: the layout, or why it is not one. */
  layouts: Record<SourceEncoding, LayoutOutcome>;
  /** The encoding ranges are first read in. */
  encoding: SourceEncoding;
  rangeBytes: number;
  ranges: number;
  limits: RunLimits;
}

/** One byte range of a run's file, read by a worker from DATA_DIR. */
export interface MapJobData {
  runId: string;
  source: string;
  snapshot: SourceSnapshot;
  /** The range's number and bytes `[start, end)`; `start` is where its first record starts if `startsAtRecord`. */
  range: number;
  start: number;
  end: number;
  startsAtRecord: boolean;
  encoding: SourceEncoding;
  layouts: Record<SourceEncoding, LayoutOutcome>;
  limits: RunLimits;
  /** 0 for the split's job; each later reading of the range (by the reduce) has a higher one and replaces it. */
  generation: number;
}

export interface MapJobResult {
  range: number;
  rowsValid: number;
  rowsRejected: number;
  /** False when an outcome of the same or a later generation was already stored, or the run had ended. */
  committed: boolean;
}

export interface JobCatalogue {
  split: { data: SplitJobData; result: SplitJobResult };
  map: { data: MapJobData; result: MapJobResult };
  aggregate: { data: AggregateJobData; result: AggregateJobResult };
}

export type JobData<Q extends QueueName> = JobCatalogue[Q]['data'];
export type JobResult<Q extends QueueName> = JobCatalogue[Q]['result'];

/** Job ids are derived from the run id so a restarted step finds the jobs it already added (BullMQ ids have no `:`). */
export const jobIds = {
  aggregate: (runId: string): string => runId,
  split: (runId: string): string => `${runId}-split`,
  map: (runId: string, range: number, generation = 0): string => (generation === 0 ? `${runId}-map-${range}` : `${runId}-map-${range}-g${generation}`),
};
