// GET /health (the process answers) and GET /ready (Redis answers too).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HealthResponseSchema, NotReadyResponseSchema, ReadyResponseSchema, documented } from '../schemas/index.js';

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness',
        response: { 200: documented(HealthResponseSchema, 'The process is up.') },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness',
        response: {
          200: documented(ReadyResponseSchema, 'Redis answers.'),
          503: documented(NotReadyResponseSchema, 'Redis does not answer.'),
        },
      },
    },
    async (request, reply) => {
      // ping() answers false, never hangs, when Redis is away or slow; a lost connection needs no ping.
      if (!app.redisAvailability.lost && (await app.pipeline.ping())) return { status: 'ready' as const };
      request.log.warn('readiness check failed: redis is not answering');
      return reply.code(503).send({ status: 'unavailable' as const, message: 'redis is not answering' });
    },
  );
};
