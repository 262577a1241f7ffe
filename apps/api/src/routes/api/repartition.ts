// GET /api/repartition?ville=&format=
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RepartitionQuerySchema, RepartitionResponseSchema, resultsResponses } from '../../schemas/index.js';
import { repartitionBody } from '../../results/projections.js';
import { answerResults } from '../../results/send-results.js';

export const repartitionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/repartition',
    {
      schema: {
        operationId: 'getRepartition',
        tags: ['results'],
        summary: 'Sales vs rentals per city',
        description: 'Counts of sales (vente) and rentals (location); `format=percentage` gives percentages adding up to 100.',
        querystring: RepartitionQuerySchema,
        response: resultsResponses(RepartitionResponseSchema),
      },
    },
    (request, reply) =>
      answerResults(app, request, reply, (view) => {
        const villes = view.villes(request.query.ville);
        const { format } = request.query;
        return view.body('repartition', [request.query.ville === undefined ? undefined : villes[0], format], () =>
          repartitionBody(view.results, villes, format),
        );
      }),
  );
};
