// Liveness and readiness answers.
import { Type } from 'typebox';

export const HealthResponseSchema = Type.Object({ status: Type.Literal('ok') });

export const ReadyResponseSchema = Type.Object({ status: Type.Literal('ready') });

/** An error in Fastify's shape, like every other error of the API, plus the readiness status probes may read. */
export const NotReadyResponseSchema = Type.Object({
  statusCode: Type.Literal(503),
  error: Type.Literal('Service Unavailable'),
  message: Type.String({ description: 'What is not answering.' }),
  status: Type.Literal('unavailable'),
});
