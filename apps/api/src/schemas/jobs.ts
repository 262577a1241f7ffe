// Run reports (GET /api/jobs, GET /api/jobs/:id) and the answer of POST /api/process.
import { Type, type Static } from 'typebox';

export const RUN_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';

const RunStatusSchema = Type.Union(
  [
    Type.Literal('queued'),
    Type.Literal('splitting'),
    Type.Literal('mapping'),
    Type.Literal('reducing'),
    Type.Literal('completed'),
    Type.Literal('failed'),
    Type.Literal('cancelled'),
  ],
  { description: 'Stage of the run; completed, failed and cancelled are final.' },
);

const Count = (description: string) => Type.Integer({ minimum: 0, description });

export const RunReportSchema = Type.Object(
  {
    job_id: Type.String({ description: 'Run id.' }),
    status: RunStatusSchema,
    source: Type.String({ description: 'CSV file name inside DATA_DIR.' }),
    created_at: Type.String({ format: 'date-time' }),
    finished_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'null until the run ends.' }),
    duration_ms: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'null until the run ends.' }),
    progress: Type.Object({
      percent: Type.Integer({ minimum: 0, maximum: 100 }),
      bytes_total: Count('Size of the file.'),
      bytes_read: Count('Bytes of the file read so far.'),
      chunks_total: Count('City-chunks cut so far (final once splitting is over).'),
      chunks_done: Count('City-chunks mapped.'),
      rows_valid: Count('Valid rows counted so far.'),
      rows_rejected: Count('Rejected rows counted so far.'),
    }),
    rejected: Type.Object({
      by_reason: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: 'Reason code → rejected rows.' }),
      samples: Type.Array(
        Type.Object({
          line: Type.Integer({ minimum: 1, description: '1-based physical line number in the file.' }),
          reason: Type.String(),
        }),
        { description: 'The first rejected rows (smallest line numbers).' },
      ),
    }),
    error: Type.Optional(Type.String({ description: 'Why the run failed; only when failed.' })),
  },
  { title: 'RunReport' },
);
export type RunReportBody = Static<typeof RunReportSchema>;

export const JobParamsSchema = Type.Object(
  { id: Type.String({ description: 'A run id (job_id); anything else is an unknown id (404).' }) },
  { additionalProperties: false },
);

export const JobsQuerySchema = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'An integer from 1 to 100 (default 20): how many runs.' }),
    ),
  },
  { additionalProperties: false },
);
export type JobsQuery = Static<typeof JobsQuerySchema>;

export const JobsResponseSchema = Type.Array(RunReportSchema, { description: 'The most recent runs, newest first.' });

export const ProcessBodySchema = Type.Object(
  {
    source: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 255,
        description: 'A .csv file name inside DATA_DIR (relative, no ".."); DATA_FILE when omitted.',
        examples: ['transactions.csv'],
      }),
    ),
  },
  { additionalProperties: false, description: 'Optional: which file to process.' },
);
export type ProcessBody = Static<typeof ProcessBodySchema>;

export const ProcessAcceptedSchema = Type.Object(
  {
    status: Type.Literal('processing_started'),
    job_id: Type.String({ description: 'Id of the new run; follow the Location header for its report.' }),
  },
  { title: 'ProcessAccepted' },
);
export type ProcessAccepted = Static<typeof ProcessAcceptedSchema>;
