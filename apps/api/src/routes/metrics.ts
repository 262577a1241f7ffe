// GET /metrics: the Prometheus text exposition of the API's registry, with the pipeline figures read now.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  METRICS_EXAMPLE,
  MetricsResponseSchema,
  NoQuerySchema,
  documentedMedia,
  errorResponses,
  unknownParameterAnswer,
} from '../schemas/index.js';

export const metricsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/metrics',
    {
      schema: {
        operationId: 'getMetrics',
        tags: ['operations'],
        summary: 'Prometheus metrics',
        description:
          'HTTP answer durations by route and status, runs ended since the API started (by final status, rows, ' +
          'durations), jobs per pipeline queue and state, and Node process metrics, in the Prometheus text format.',
        querystring: NoQuerySchema,
        response: {
          200: documentedMedia('text/plain', MetricsResponseSchema, 'Prometheus text exposition format 0.0.4.', METRICS_EXAMPLE),
          ...errorResponses({ 400: unknownParameterAnswer }),
        },
      },
    },
    async (_request, reply) => {
      await app.metrics.refresh();
      const text = await app.metrics.registry.metrics();
      return reply.type(app.metrics.registry.contentType).send(text);
    },
  );
};
