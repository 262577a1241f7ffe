// GET /api/villes
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { VillesQuerySchema, VillesResponseSchema, resultsResponses } from '../../schemas/index.js';
import { villesBody } from '../../results/projections.js';
import { currentResults, sendResults } from '../../results/send-results.js';

export const villesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/villes',
    {
      schema: {
        tags: ['results'],
        summary: 'Cities of the results',
        description: 'Distinct cities, French collation.',
        querystring: VillesQuerySchema,
        response: resultsResponses(VillesResponseSchema),
      },
    },
    async (request, reply) => {
      const view = await currentResults(app);
      return sendResults(request, reply, view.body('villes', [], () => villesBody(view.results)));
    },
  );
};
