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
      // The error shape of every other answer (contract §3), plus the status a probe may read.
      return reply.code(503).send({
        statusCode: 503 as const,
        error: 'Service Unavailable' as const,
        message: 'redis is not answering',
        status: 'unavailable' as const,
      });
    },
  );
};
