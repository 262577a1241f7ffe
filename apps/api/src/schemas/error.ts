// The error body every endpoint answers with (Fastify's shape), and the 409 variant that names the active run.
import { Type, type Static } from 'typebox';

export const ErrorSchema = Type.Object(
  {
    statusCode: Type.Integer({ description: 'HTTP status code, repeated in the body.' }),
    error: Type.String({ description: 'HTTP reason phrase.' }),
    message: Type.String({ description: 'What is wrong and, for bad input, what is allowed.' }),
  },
);
export type ErrorBody = Static<typeof ErrorSchema>;

export const RunConflictSchema = Type.Object(
  {
    statusCode: Type.Literal(409, { description: 'HTTP status code, repeated in the body.' }),
    error: Type.Literal('Conflict', { description: 'HTTP reason phrase.' }),
    message: Type.String({ description: 'Which run is active, and how to follow it.' }),
    job_id: Type.String({ description: 'Id of the run that is active now.' }),
  },
  {
    examples: [
      {
        statusCode: 409,
        error: 'Conflict',
        message: 'run 1pL3EumfjyY4LLOvQoDYa is still active; wait for it to end (GET /api/jobs/1pL3EumfjyY4LLOvQoDYa)',
        job_id: '1pL3EumfjyY4LLOvQoDYa',
      },
    ],
  },
);
export type RunConflictBody = Static<typeof RunConflictSchema>;
