// The error body every endpoint answers with (Fastify's shape), and the 409 variant that names the active run.
import { Type, type Static } from 'typebox';

export const ErrorSchema = Type.Object(
  {
    statusCode: Type.Integer({ description: 'HTTP status code, repeated in the body.', examples: [400] }),
    error: Type.String({ description: 'HTTP reason phrase.', examples: ['Bad Request'] }),
    message: Type.String({ description: 'What is wrong and, for bad input, what is allowed.' }),
  },
);
export type ErrorBody = Static<typeof ErrorSchema>;

export const RunConflictSchema = Type.Object(
  {
    statusCode: Type.Literal(409),
    error: Type.Literal('Conflict'),
    message: Type.String(),
    job_id: Type.String({ description: 'Id of the run that is active now.' }),
  },
);
export type RunConflictBody = Static<typeof RunConflictSchema>;
