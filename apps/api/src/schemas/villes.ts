// GET /api/villes: the distinct cities of the published results.
import { Type, type Static } from 'typebox';

export const VillesQuerySchema = Type.Object({}, { additionalProperties: false });

export const VillesResponseSchema = Type.Object(
  { villes: Type.Array(Type.String(), { description: 'Distinct cities, French collation.' }) },
);
export type VillesResponse = Static<typeof VillesResponseSchema>;
