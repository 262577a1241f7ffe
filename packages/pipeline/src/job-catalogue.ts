// The typed job catalogue, the one source of job names and payloads: for every queue, the TypeBox schema of the
// payload its producer sends (the payload's type is derived from it, and every role checks a job's payload
// against it before running it: see job-payload.ts) and the result its processor returns.
import { Type, type Static, type TSchema } from 'typebox';
import { COLUMNS, type Column, type LayoutOutcome, type SourceEncoding, type TextKind } from '@autoconnect/core';
import type { SourceSnapshot } from '@autoconnect/data-folder';
import type { QueueName } from './queue-names.js';

/** Run ids name Redis keys and BullMQ job ids (which must not hold `:`): nanoid's alphabet, as the API's ids. */
export const RUN_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
const runIdPattern = new RegExp(RUN_ID_PATTERN);

export function isRunId(value: unknown): value is string {
  return typeof value === 'string' && runIdPattern.test(value);
}

const RunIdSchema = Type.String({ pattern: RUN_ID_PATTERN, description: 'The run id; its aggregate job has it as its job id.' });
const SourceSchema = Type.String({ minLength: 1, description: 'File name inside DATA_DIR.' });
const Count = (description: string) => Type.Integer({ minimum: 0, description });

const SourceEncodingSchema = Type.Union([Type.Literal('utf-8'), Type.Literal('windows-1252')]);

const columnIndex = Type.Integer({ minimum: -1, description: 'Field index of the column; -1 for an absent optional column.' });
const HeaderLayoutSchema = Type.Object({
  delimiter: Type.Union([Type.Literal(','), Type.Literal(';')]),
  fieldCount: Type.Integer({ minimum: 1 }),
  columns: Type.Object(Object.fromEntries(COLUMNS.map((column) => [column, columnIndex])) as Record<Column, typeof columnIndex>),
  headerLine: Type.Integer({ minimum: 1 }),
});

/** The header read as one encoding: its layout, or why it is not one. */
const LayoutOutcomeSchema = Type.Union([Type.Object({ layout: HeaderLayoutSchema }), Type.Object({ error: Type.String() })]);

const LayoutsSchema = Type.Object(
  { 'utf-8': LayoutOutcomeSchema, 'windows-1252': LayoutOutcomeSchema },
  { description: 'The header read as each encoding.' },
);

/** The file as the split found it (see the data folder's SourceFile): a worker opens that file and no other. */
const SourceSnapshotSchema = Type.Object({
  dev: Type.Number(),
  ino: Type.Number(),
  size: Type.Integer({ minimum: 0 }),
  mtimeMs: Type.Number(),
});

/** How many distinct values a run may meet (MAX_VILLES, MAX_MODELES when it was planned). */
const RunLimitsSchema = Type.Object({ villes: Type.Integer({ minimum: 1 }), modeles: Type.Integer({ minimum: 1 }) });

/** The parent job of a run; its job id is the run id. */
export const AggregateJobDataSchema = Type.Object({ runId: RunIdSchema });

/** Plans the run: checks and snapshots its source, reads the header, adds one `map` child per byte range. */
export const SplitJobDataSchema = Type.Object({ runId: RunIdSchema, source: SourceSchema });

/** One byte range of a run's file, read by a worker from DATA_DIR. */
export const MapJobDataSchema = Type.Object({
  runId: RunIdSchema,
  source: SourceSchema,
  snapshot: SourceSnapshotSchema,
  range: Count("The range's number."),
  start: Count("The range's first byte; where its first record starts when startsAtRecord."),
  end: Count('The byte after the range.'),
  startsAtRecord: Type.Boolean(),
  encoding: SourceEncodingSchema,
  layouts: LayoutsSchema,
  limits: RunLimitsSchema,
  generation: Count("0 for the split's job; each later reading of the range (by the reduce) has a higher one and replaces it."),
});

export type AggregateJobData = Static<typeof AggregateJobDataSchema>;
export type SplitJobData = Static<typeof SplitJobDataSchema>;
export type MapJobData = Static<typeof MapJobDataSchema>;
export type RunLimits = Static<typeof RunLimitsSchema>;

/** The schema of each queue's payloads. */
export const JOB_DATA_SCHEMAS = {
  split: SplitJobDataSchema,
  map: MapJobDataSchema,
  aggregate: AggregateJobDataSchema,
} as const satisfies Record<QueueName, TSchema>;

export interface AggregateJobResult {
  runId: string;
  rowsValid: number;
  rowsRejected: number;
  ranges: number;
}

export interface SplitJobResult {
  ranges: number;
  bytes: number;
}

export interface MapJobResult {
  range: number;
  rowsValid: number;
  rowsRejected: number;
  /** False when an outcome of the same or a later generation was already stored, or the run had ended. */
  committed: boolean;
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
