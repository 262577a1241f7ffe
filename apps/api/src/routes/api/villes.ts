// GET /api/villes
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { VillesQuerySchema, VillesResponseSchema, resultsResponses } from '../../schemas/index.js';
import { villesBody } from '../../results/projections.js';
import { answerResults } from '../../results/send-results.js';

export const villesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/villes',
    {
      schema: {
        operationId: 'listVilles',
        tags: ['results'],
        summary: 'Cities of the results',
        description: 'Distinct cities, French collation.',
        querystring: VillesQuerySchema,
        response: resultsResponses(VillesResponseSchema),
      },
    },
    (request, reply) => answerResults(app, request, reply, (view) => view.body('villes', [], () => villesBody(view.results))),
  );
};
