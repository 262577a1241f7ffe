// Liveness and readiness answers.
import { Type } from 'typebox';

export const HealthResponseSchema = Type.Object({ status: Type.Literal('ok') }, { examples: [{ status: 'ok' }] });

export const ReadyResponseSchema = Type.Object({ status: Type.Literal('ready') }, { examples: [{ status: 'ready' }] });

/** Fastify's error shape like every other error answer, with the readiness `status` besides. */
export const NotReadyResponseSchema = Type.Object(
  {
    statusCode: Type.Literal(503, { description: 'HTTP status code, repeated in the body.' }),
    error: Type.Literal('Service Unavailable', { description: 'HTTP reason phrase.' }),
    message: Type.String({ description: 'What is not answering.' }),
    status: Type.Literal('unavailable'),
  },
  { examples: [{ statusCode: 503, error: 'Service Unavailable', message: 'redis is not answering', status: 'unavailable' }] },
);
