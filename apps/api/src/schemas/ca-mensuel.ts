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
    // Answers for data/transactions.csv, cut short.
    'x-examples': {
      ville: {
        summary: '?ville=paris (its first 3 months of 36)',
        value: { Paris: { '2022-01': 5100957.51, '2022-02': 5191348.71, '2022-03': 5443128.07 } },
      },
      mois: {
        summary: '?mois=2023-01 (2 cities of 22)',
        value: { Lyon: { '2023-01': 2113710.72 }, Paris: { '2023-01': 4832114.32 } },
      },
    },
  },
);
export type CaMensuelResponse = Static<typeof CaMensuelResponseSchema>;
