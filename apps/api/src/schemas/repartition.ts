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
    examples: [{ Paris: { vente: 812, location: 540 } }, { Paris: { vente: 60.06, location: 39.94 } }],
  },
);
export type RepartitionResponse = Static<typeof RepartitionResponseSchema>;
