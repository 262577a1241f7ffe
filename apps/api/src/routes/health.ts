// GET /health (the process answers) and GET /ready (Redis answers too).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  HealthResponseSchema,
  NoQuerySchema,
  NotReadyResponseSchema,
  ReadyResponseSchema,
  documented,
  errorResponses,
  unknownParameterAnswer,
} from '../schemas/index.js';

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        operationId: 'getHealth',
        tags: ['health'],
        summary: 'Liveness',
        description: 'Answers as long as the process runs; it does not look at Redis (see GET /ready).',
        querystring: NoQuerySchema,
        response: {
          200: documented(HealthResponseSchema, 'The process is up.'),
          ...errorResponses({ 400: unknownParameterAnswer }),
        },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        operationId: 'getReady',
        tags: ['health'],
        summary: 'Readiness',
        description: 'Whether Redis answers a PING, within REDIS_COMMAND_TIMEOUT_MS (1 s at most).',
        querystring: NoQuerySchema,
        response: {
          200: documented(ReadyResponseSchema, 'Redis answers.'),
          ...errorResponses({ 400: unknownParameterAnswer }),
          503: documented(NotReadyResponseSchema, 'Redis does not answer.'),
        },
      },
    },
    async (request, reply) => {
      // ping() answers false, never hangs, when Redis is away or slow; a lost connection needs no ping.
      if (!app.redisAvailability.lost && (await app.pipeline.ping())) return { status: 'ready' as const };
      request.log.warn('readiness check failed: redis is not answering');
      return reply
        .code(503)
        .send({ statusCode: 503, error: 'Service Unavailable', message: 'redis is not answering', status: 'unavailable' as const });
    },
  );
};
