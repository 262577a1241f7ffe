// GET /api/villes: the distinct cities of the published results.
import { Type, type Static } from 'typebox';
import { NoQuerySchema } from './no-query.js';

export const VillesQuerySchema = NoQuerySchema;

// The example is the answer for data/transactions.csv, as the other results examples.
export const VillesResponseSchema = Type.Object(
  { villes: Type.Array(Type.String(), { description: 'Distinct cities, French collation.' }) },
  {
    title: 'Villes',
    examples: [
      {
        villes: [
          'Aix-en-Provence', 'Angers', 'Bordeaux', 'Clermont-Ferrand', 'Dijon', 'Évreux', 'Grenoble', 'Le Havre',
          'Lille', 'Lyon', 'Marseille', 'Montpellier', 'Nantes', 'Nice', 'Nîmes', 'Paris', 'Reims', 'Rennes',
          'Saint-Étienne', 'Strasbourg', 'Toulon', 'Toulouse',
        ],
      },
    ],
  },
);
export type VillesResponse = Static<typeof VillesResponseSchema>;
