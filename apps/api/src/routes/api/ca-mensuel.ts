// GET /api/ca-mensuel?ville=&mois=
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CaMensuelQuerySchema, CaMensuelResponseSchema, resultsResponses } from '../../schemas/index.js';
import { caMensuelBody } from '../../results/projections.js';
import { answerResults } from '../../results/send-results.js';

export const caMensuelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/ca-mensuel',
    {
      schema: {
        operationId: 'getCaMensuel',
        tags: ['results'],
        summary: 'Monthly revenue per city',
        description:
          'Revenue (euros) per city and month. `ville` keeps one city; `mois` keeps one month, 0 for a city without rows in it.',
        querystring: CaMensuelQuerySchema,
        response: resultsResponses(CaMensuelResponseSchema),
      },
    },
    (request, reply) =>
      answerResults(app, request, reply, (view) => {
        const villes = view.villes(request.query.ville);
        const { mois } = request.query;
        return view.body('ca-mensuel', [request.query.ville === undefined ? undefined : villes[0], mois], () =>
          caMensuelBody(view.results, villes, mois),
        );
      }),
  );
};
