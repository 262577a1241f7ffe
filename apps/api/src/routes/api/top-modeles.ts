// GET /api/top-modeles?ville=&limit=
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  TOP_MODELES_DEFAULT_LIMIT,
  TopModelesQuerySchema,
  TopModelesResponseSchema,
  resultsResponses,
} from '../../schemas/index.js';
import { topModelesBody } from '../../results/projections.js';
import { currentResults, sendResults } from '../../results/send-results.js';

export const topModelesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/top-modeles',
    {
      schema: {
        tags: ['results'],
        summary: 'Top models per city',
        description:
          'Models ranked by transactions (descending), ties by model name in code-point order; `limit` per city (1..100, default 5).',
        querystring: TopModelesQuerySchema,
        response: resultsResponses(TopModelesResponseSchema),
      },
    },
    async (request, reply) => {
      const view = await currentResults(app);
      const villes = view.villes(request.query.ville);
      const limit = request.query.limit ?? TOP_MODELES_DEFAULT_LIMIT;
      const body = view.body('top-modeles', [request.query.ville === undefined ? undefined : villes[0], limit], () =>
        topModelesBody(view.results, villes, limit),
      );
      return sendResults(request, reply, body);
    },
  );
};
