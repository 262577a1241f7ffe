// The contract's views of published results: each endpoint's body for a list of cities and its options.
// Pure functions; the caller serialises each variant once and serves the string from then on.
import { percentages, type Results, type TopModele } from '@autoconnect/core';

/** Plain records: a city called `__proto__` is data here, as it is in the core's records. */
function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/**
 * A body keyed by city, its keys in the order the cities were added (the published French collation). A JS
 * object would list integer-like names (`"10"`, `"2"`) first whatever that order; SerializedBody writes this
 * one's JSON text itself, so the text keeps the contract's order.
 */
export class VilleRecord<T> {
  readonly entries: Array<[string, T]> = [];

  set(ville: string, value: T): void {
    this.entries.push([ville, value]);
  }

  /** The JSON text of the record, keys in order. */
  toJsonText(): string {
    return `{${this.entries.map(([ville, value]) => `${JSON.stringify(ville)}:${JSON.stringify(value)}`).join(',')}}`;
  }
}

export function villesBody(results: Results): { villes: string[] } {
  return { villes: results.villes };
}

/** Every month of each city, or with `mois` only that month (0 where the city had no rows then). */
export function caMensuelBody(results: Results, villes: string[], mois?: string): VilleRecord<Record<string, number>> {
  const body = new VilleRecord<Record<string, number>>();
  for (const ville of villes) {
    const months = results.ca_mensuel[ville] ?? record<number>();
    if (mois === undefined) {
      body.set(ville, months);
    } else {
      const one = record<number>();
      one[mois] = Object.hasOwn(months, mois) ? months[mois] : 0;
      body.set(ville, one);
    }
  }
  return body;
}

export function repartitionBody(
  results: Results,
  villes: string[],
  format?: 'percentage',
): VilleRecord<{ vente: number; location: number }> {
  const body = new VilleRecord<{ vente: number; location: number }>();
  for (const ville of villes) {
    const counts = results.repartition[ville] ?? { vente: 0, location: 0 };
    body.set(ville, format === 'percentage' ? percentages(counts) : { vente: counts.vente, location: counts.location });
  }
  return body;
}

export function topModelesBody(results: Results, villes: string[], limit: number): VilleRecord<TopModele[]> {
  const body = new VilleRecord<TopModele[]>();
  for (const ville of villes) body.set(ville, (results.top_modeles[ville] ?? []).slice(0, limit));
  return body;
}
