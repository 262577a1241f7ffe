// The typed job catalogue: for every queue, the payload its producer sends and the result its processor returns.
import type { ChunkContext } from '@autoconnect/core';
import type { QueueName } from './queue-names.js';

/** The parent job of a run; its job id is the run id. */
export interface AggregateJobData {
  runId: string;
}

export interface AggregateJobResult {
  runId: string;
  rowsValid: number;
  rowsRejected: number;
  chunks: number;
}

/** Cuts the run's source file into city-chunks and adds one `map` child per chunk to the run's parent. */
export interface SplitJobData {
  runId: string;
  /** File name inside DATA_DIR. */
  source: string;
}

export interface SplitJobResult {
  chunks: number;
  bytes: number;
  rows: number;
}

/** One city-chunk, stored in Redis under `run:<runId>:chunk:<chunk>`. */
export interface MapJobData {
  runId: string;
  /** Deterministic number of the chunk within its run (0-based, in the order the splitter emits them). */
  chunk: number;
  cityKey: string;
  rows: number;
  bytes: number;
  context: ChunkContext;
}

export interface MapJobResult {
  chunk: number;
  rowsValid: number;
  rowsRejected: number;
  /** False when the chunk had already been committed by an earlier delivery of the same job. */
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
  map: (runId: string, chunk: number): string => `${runId}-map-${chunk}`,
};
