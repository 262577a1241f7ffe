// GET /api/ca-mensuel: monthly revenue per city, optionally one city and/or one month.
import { Type, type Static } from 'typebox';
import { MoisParam, VilleParam } from './results-query.js';

export const CaMensuelQuerySchema = Type.Object(
  { ville: Type.Optional(VilleParam), mois: Type.Optional(MoisParam) },
  { additionalProperties: false },
);
export type CaMensuelQuery = Static<typeof CaMensuelQuerySchema>;

export const CaMensuelResponseSchema = Type.Record(
  Type.String(),
  Type.Record(Type.String(), Type.Number({ description: 'Revenue in euros, at most 2 decimals.' }), {
    description: 'Month YYYY-MM (ascending) → revenue in euros; with `mois`, that month only (0 when no rows).',
  }),
  {
    title: 'CaMensuel',
    description: 'City → month → revenue.',
    examples: [{ Paris: { '2023-01': 123456.78, '2023-02': 98765.4 }, Lyon: { '2023-01': 4200 } }],
  },
);
export type CaMensuelResponse = Static<typeof CaMensuelResponseSchema>;
