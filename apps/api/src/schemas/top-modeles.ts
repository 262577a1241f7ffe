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
  // The answer of ?ville=paris&limit=3 for data/transactions.csv.
  examples: [
    {
      Paris: [
        { modele: 'Dacia Sandero', transactions: 1067, ventes: 643, locations: 424, ca: 8432957.93 },
        { modele: 'Peugeot 208', transactions: 974, ventes: 607, locations: 367, ca: 11999515.6 },
        { modele: 'Renault Clio', transactions: 842, ventes: 488, locations: 354, ca: 9302816.81 },
      ],
    },
  ],
});
export type TopModelesResponse = Static<typeof TopModelesResponseSchema>;
