// Run reports (GET /api/jobs, GET /api/jobs/:id) and the answer of POST /api/process.
import { Type, type Static } from 'typebox';
import { FINAL_STATUSES, RUN_ID_PATTERN, RUN_STATUSES } from '@autoconnect/pipeline';

export { RUN_ID_PATTERN };

const finalInWords = `${FINAL_STATUSES.slice(0, -1).join(', ')} and ${FINAL_STATUSES.at(-1)}`;
const RunStatusSchema = Type.Enum(RUN_STATUSES, { description: `Stage of the run; ${finalInWords} are final.` });

const Count = (description: string) => Type.Integer({ minimum: 0, description });

/** The first run of data/transactions.csv, as GET /api/jobs/{id} reported it (samples cut to three of twenty). */
export const RUN_REPORT_EXAMPLE = {
  job_id: '1pL3EumfjyY4LLOvQoDYa',
  status: 'completed',
  source: 'transactions.csv',
  created_at: '2026-12-06T02:07:45.063Z',
  finished_at: '2026-12-06T02:07:45.282Z',
  duration_ms: 219,
  progress: {
    percent: 100,
    bytes_total: 2971081,
    bytes_read: 2971081,
    chunks_total: 1,
    chunks_done: 1,
    rows_valid: 49959,
    rows_rejected: 41,
  },
  rejected: {
    by_reason: { invalid_duree: 8, invalid_date: 1, invalid_prix: 10, missing_modele: 5, missing_ville: 3, invalid_type: 8, field_count: 6 },
    samples: [
      { line: 839, reason: 'expected 7 fields, found 6' },
      { line: 995, reason: "invalid prix '1e4'" },
      { line: 1389, reason: "invalid type '' (expected vente or location)" },
    ],
  },
  warnings: [],
};

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
      bytes_read: Count('Bytes of the file mapped so far (the header counts once the run is planned).'),
      chunks_total: Count('Byte ranges the file is cut into (one map job each), known once the run is planned.'),
      chunks_done: Count('Ranges mapped; never more than chunks_total.'),
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
    warnings: Type.Array(Type.String(), { description: 'What users should know about the run, e.g. that its file grew while it ran.' }),
    error: Type.Optional(Type.String({ description: 'Why the run failed; only when failed.' })),
  },
  { title: 'RunReport', examples: [RUN_REPORT_EXAMPLE] },
);
export type RunReportBody = Static<typeof RunReportSchema>;

export const JobParamsSchema = Type.Object(
  { id: Type.String({ description: 'A run id (job_id); anything else is an unknown id (404).', examples: ['1pL3EumfjyY4LLOvQoDYa'] }) },
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

export const JobsResponseSchema = Type.Array(RunReportSchema, {
  description: 'The most recent runs, newest first.',
  examples: [[RUN_REPORT_EXAMPLE]],
});

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

export const CancelBodySchema = Type.Object(
  {},
  { additionalProperties: false, description: 'Optional: no body, or an empty JSON object.' },
);

export const ProcessAcceptedSchema = Type.Object(
  {
    status: Type.Literal('processing_started'),
    job_id: Type.String({ description: 'Id of the new run; follow the Location header for its report.' }),
  },
  { title: 'ProcessAccepted', examples: [{ status: 'processing_started', job_id: '1pL3EumfjyY4LLOvQoDYa' }] },
);
export type ProcessAccepted = Static<typeof ProcessAcceptedSchema>;
