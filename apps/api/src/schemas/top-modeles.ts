// GET /api/top-modeles: each city's models ranked by transactions.
import { Type, type Static } from 'typebox';
import { LimitParam, VilleParam } from './results-query.js';

export const TopModelesQuerySchema = Type.Object(
  { ville: Type.Optional(VilleParam), limit: Type.Optional(LimitParam) },
  { additionalProperties: false },
);
export type TopModelesQuery = Static<typeof TopModelesQuerySchema>;

export const TopModeleSchema = Type.Object(
  {
    modele: Type.String(),
    transactions: Type.Integer({ description: 'Sales + rentals of this model in the city.' }),
    ventes: Type.Integer(),
    locations: Type.Integer(),
    ca: Type.Number({ description: 'Revenue in euros, at most 2 decimals.' }),
  },
);

export const TopModelesResponseSchema = Type.Record(Type.String(), Type.Array(TopModeleSchema), {
  title: 'TopModeles',
  description: 'City → models by transactions (descending), ties by model name in code-point order.',
  examples: [{ Paris: [{ modele: 'Peugeot 208', transactions: 140, ventes: 90, locations: 50, ca: 1523400.5 }] }],
});
export type TopModelesResponse = Static<typeof TopModelesResponseSchema>;
