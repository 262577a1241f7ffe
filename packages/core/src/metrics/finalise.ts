// From merged PartialMetrics to the published Results (contract §2): euros from cents, villes in French
// collation, months ascending, the models of a city ranked over the whole city, the first TOP_MODELES_KEPT kept.
import { AmountOverflowError } from '../errors/amount-overflow-error.js';
import type { ModelCounts, PartialMetrics, Results, TopModele } from '../types.js';
import { compareCodePoints } from './compare-code-points.js';
import { centsToEuros } from './money.js';
import { dataRecord } from './data-record.js';

/** Models kept per city in the published results: the API's largest `limit`. */
export const TOP_MODELES_KEPT = 100;

const frenchCollator = new Intl.Collator('fr');

/** French collation; strings the collator finds equal are ordered by code point so the order is total. */
export function compareVilles(a: string, b: string): number {
  return frenchCollator.compare(a, b) || compareCodePoints(a, b);
}

/** What finalising reads of one city's merged metrics, whatever holds them (records or maps). */
export interface CityTotalsView {
  vente: number;
  location: number;
  months: Iterable<[string, number]>;
  models: Iterable<[string, ModelCounts]>;
}

/** Throws AmountOverflowError when a sum of cents is no longer exact (prix are capped, their sums are not). */
export function finalise(partial: PartialMetrics): Results {
  return finaliseCities(
    Object.keys(partial.cities),
    (ville) => {
      const city = partial.cities[ville];
      return { vente: city.vente, location: city.location, months: Object.entries(city.months), models: Object.entries(city.models) };
    },
    partial.rowsValid,
    partial.rowsRejected,
  );
}

/** One city finalised: months ascending in euros, its counts, its first models ranked, how many it has. */
export interface FinalisedCity {
  months: Array<[string, number]>;
  repartition: { vente: number; location: number };
  topModeles: TopModele[];
  distinctModeles: number;
}

/** Throws AmountOverflowError when a sum of cents of the city is past exact integer range. */
export function finaliseCity(ville: string, city: CityTotalsView): FinalisedCity {
  const monthList = [...city.months];
  const models = [...city.models];
  if (!monthList.every(([, cents]) => Number.isSafeInteger(cents)) || !models.every(([, m]) => Number.isSafeInteger(m.caCents))) {
    throw new AmountOverflowError(ville);
  }
  // `YYYY-MM` keys: text order is time order.
  const months = monthList.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([month, cents]): [string, number] => [month, centsToEuros(cents)]);
  const topModeles = models
    .sort(([modeleA, a], [modeleB, b]) => b.transactions - a.transactions || compareCodePoints(modeleA, modeleB))
    .slice(0, TOP_MODELES_KEPT)
    .map(([modele, counts]) => ({
      modele,
      transactions: counts.transactions,
      ventes: counts.ventes,
      locations: counts.locations,
      ca: centsToEuros(counts.caCents),
    }));
  return { months, repartition: { vente: city.vente, location: city.location }, topModeles, distinctModeles: models.length };
}

/** finalise over cities read through `cityOf` (MetricsMerger's arrays, say), built once, never copied first. */
export function finaliseCities(villeNames: Iterable<string>, cityOf: (ville: string) => CityTotalsView, rowsValid: number, rowsRejected: number): Results {
  const villes = [...villeNames].sort(compareVilles);
  const caMensuel = dataRecord<Record<string, number>>();
  const repartition = dataRecord<{ vente: number; location: number }>();
  const topModeles = dataRecord<TopModele[]>();
  const distinctModeles = dataRecord<number>();
  for (const ville of villes) {
    const city = finaliseCity(ville, cityOf(ville));
    const months = dataRecord<number>();
    for (const [month, euros] of city.months) months[month] = euros;
    caMensuel[ville] = months;
    repartition[ville] = city.repartition;
    topModeles[ville] = city.topModeles;
    distinctModeles[ville] = city.distinctModeles;
  }
  return {
    villes,
    ca_mensuel: caMensuel,
    repartition,
    top_modeles: topModeles,
    distinct_modeles: distinctModeles,
    rows_valid: rowsValid,
    rows_rejected: rowsRejected,
  };
}

/**
 * The JSON text of finaliseCities' Results, written city by city without building the Results objects: what the
 * reduce publishes, at a fraction of the memory for a run of many villes. JSON.parse of it equals the Results
 * (the key order of the text is the villes' collation order; an object keeps integer-like keys first).
 */
export function finaliseCitiesJson(villeNames: Iterable<string>, cityOf: (ville: string) => CityTotalsView, rowsValid: number, rowsRejected: number): string {
  return [...finaliseCitiesJsonPieces(villeNames, cityOf, rowsValid, rowsRejected)].join('');
}

/**
 * finaliseCitiesJson's text in pieces, in order, so that a caller can send it on without ever holding it whole.
 * Each ville is finalised once: its `ca_mensuel` piece goes out at once, its other pieces wait for their section.
 */
export function* finaliseCitiesJsonPieces(
  villeNames: Iterable<string>,
  cityOf: (ville: string) => CityTotalsView,
  rowsValid: number,
  rowsRejected: number,
): Generator<string> {
  const villes = [...villeNames].sort(compareVilles);
  let repartition: string[] = [];
  let topModeles: string[] = [];
  let distinct: string[] = [];
  yield `{"villes":${JSON.stringify(villes)},"ca_mensuel":{`;
  for (let i = 0; i < villes.length; i += 1) {
    const city = finaliseCity(villes[i], cityOf(villes[i]));
    const key = JSON.stringify(villes[i]);
    const comma = i === 0 ? '' : ',';
    yield `${comma}${key}:{${city.months.map(([month, euros]) => `${JSON.stringify(month)}:${JSON.stringify(euros)}`).join(',')}}`;
    repartition.push(`${comma}${key}:${JSON.stringify(city.repartition)}`);
    topModeles.push(`${comma}${key}:${JSON.stringify(city.topModeles)}`);
    distinct.push(`${comma}${key}:${city.distinctModeles}`);
  }
  yield '},"repartition":{';
  yield* repartition;
  repartition = [];
  yield '},"top_modeles":{';
  yield* topModeles;
  topModeles = [];
  yield '},"distinct_modeles":{';
  yield* distinct;
  distinct = [];
  yield `},"rows_valid":${rowsValid},"rows_rejected":${rowsRejected}}`;
}
