// The contract's views of published results: each endpoint's body for a list of cities and its options.
// Pure functions; the caller serialises each variant once and serves the string from then on.
import { percentages, type Results, type TopModele } from '@autoconnect/core';

/** Plain records: a city called `__proto__` is data here, as it is in the core's records. */
function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

export function villesBody(results: Results): { villes: string[] } {
  return { villes: results.villes };
}

/** Every month of each city, or with `mois` only that month (0 where the city had no rows then). */
export function caMensuelBody(results: Results, villes: string[], mois?: string): Record<string, Record<string, number>> {
  const body = record<Record<string, number>>();
  for (const ville of villes) {
    const months = results.ca_mensuel[ville] ?? record<number>();
    if (mois === undefined) {
      body[ville] = months;
    } else {
      const one = record<number>();
      one[mois] = Object.hasOwn(months, mois) ? months[mois] : 0;
      body[ville] = one;
    }
  }
  return body;
}

export function repartitionBody(
  results: Results,
  villes: string[],
  format?: 'percentage',
): Record<string, { vente: number; location: number }> {
  const body = record<{ vente: number; location: number }>();
  for (const ville of villes) {
    const counts = results.repartition[ville] ?? { vente: 0, location: 0 };
    body[ville] = format === 'percentage' ? percentages(counts) : { vente: counts.vente, location: counts.location };
  }
  return body;
}

export function topModelesBody(results: Results, villes: string[], limit: number): Record<string, TopModele[]> {
  const body = record<TopModele[]>();
  for (const ville of villes) body[ville] = (results.top_modeles[ville] ?? []).slice(0, limit);
  return body;
}
