// GET /api/repartition: sales vs rentals per city, as counts or percentages.
import { Type, type Static } from 'typebox';
import { FormatParam, VilleParam } from './results-query.js';

export const RepartitionQuerySchema = Type.Object(
  { ville: Type.Optional(VilleParam), format: Type.Optional(FormatParam) },
  { additionalProperties: false },
);
export type RepartitionQuery = Static<typeof RepartitionQuerySchema>;

export const RepartitionResponseSchema = Type.Record(
  Type.String(),
  Type.Object({
    vente: Type.Number({ description: 'Sales: a count, or a percentage with format=percentage.' }),
    location: Type.Number({ description: 'Rentals: a count, or 100 − vente with format=percentage.' }),
  }),
  {
    title: 'Repartition',
    description: 'City → sales and rentals.',
    // Answers for data/transactions.csv, cut short.
    'x-examples': {
      counts: { summary: 'Counts (2 cities of 22)', value: { Lyon: { vente: 2789, location: 1862 }, Paris: { vente: 6909, location: 4566 } } },
      percentage: {
        summary: '?format=percentage (2 cities of 22)',
        value: { Lyon: { vente: 59.97, location: 40.03 }, Paris: { vente: 60.21, location: 39.79 } },
      },
    },
  },
);
export type RepartitionResponse = Static<typeof RepartitionResponseSchema>;
