// Query parameters shared by the results endpoints; their descriptions double as the "what is allowed"
// part of a 400 message, so they say what a valid value looks like.
import { Type } from 'typebox';

// Villes have no length limit in the data; 4,096 characters is more than a URL can carry once percent-encoded
// (Node's 16 KiB header limit) for most scripts, and keeps a lookup's cost bounded.
export const VilleParam = Type.String({
  minLength: 1,
  maxLength: 4096,
  // Not blank: blanks around the name are ignored, so a blank value names nothing.
  pattern: '\\S',
  description:
    'A city name from GET /api/villes (1 to 4096 characters, not blank); matched exactly first, then ignoring case and accents (saint-etienne finds Saint-Étienne), blanks around it ignored.',
  examples: ['Paris'],
});

export const MoisParam = Type.String({
  pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$',
  description: 'A month as YYYY-MM with a real month 01..12, e.g. 2023-01.',
  examples: ['2023-01'],
});

export const FormatParam = Type.Literal('percentage', {
  description: 'Only "percentage": counts become percentages (2 decimals) that add up to 100.',
});

export const TOP_MODELES_DEFAULT_LIMIT = 5;

export const LimitParam = Type.Integer({
  minimum: 1,
  maximum: 100,
  default: TOP_MODELES_DEFAULT_LIMIT,
  description: 'An integer from 1 to 100 (default 5): how many models per city.',
});
