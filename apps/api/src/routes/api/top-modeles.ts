// GET /api/top-modeles?ville=&limit=
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  TOP_MODELES_DEFAULT_LIMIT,
  TopModelesQuerySchema,
  TopModelesResponseSchema,
  resultsResponses,
} from '../../schemas/index.js';
import { topModelesBody } from '../../results/projections.js';
import { answerResults } from '../../results/send-results.js';

export const topModelesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/top-modeles',
    {
      schema: {
        operationId: 'getTopModeles',
        tags: ['results'],
        summary: 'Top models per city',
        description:
          'Models ranked by transactions (descending), ties by model name in code-point order; `limit` per city (1..100, default 5).',
        querystring: TopModelesQuerySchema,
        response: resultsResponses(TopModelesResponseSchema),
      },
    },
    (request, reply) =>
      answerResults(app, request, reply, (view) => {
        const villes = view.villes(request.query.ville);
        const limit = request.query.limit ?? TOP_MODELES_DEFAULT_LIMIT;
        return view.body('top-modeles', [request.query.ville === undefined ? undefined : villes[0], limit], () =>
          topModelesBody(view.results, villes, limit),
        );
      }),
  );
};
