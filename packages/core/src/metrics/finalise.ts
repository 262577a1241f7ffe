// From merged PartialMetrics to the published Results (contract §2): euros from cents, villes in French
// collation, months ascending, the modeles of a ville ranked over the whole ville, the first TOP_MODELES_KEPT kept.
import { AmountOverflowError } from '../errors/amount-overflow-error.js';
import type { ModeleCounts, PartialMetrics, Results, TopModele } from '../types.js';
import { compareCodePoints } from './compare-code-points.js';
import { centsToEuros } from './money.js';
import { dataRecord } from './data-record.js';

/** Modeles kept per ville in the published results: the API's largest `limit`. */
export const TOP_MODELES_KEPT = 100;

const frenchCollator = new Intl.Collator('fr');

/** French collation; strings the collator finds equal are ordered by code point so the order is total. */
export function compareVilles(a: string, b: string): number {
  return frenchCollator.compare(a, b) || compareCodePoints(a, b);
}

/** What finalising reads of one ville's merged metrics, whatever holds them (records or maps). */
export interface VilleTotalsView {
  vente: number;
  location: number;
  months: Iterable<[string, number]>;
  modeles: Iterable<[string, ModeleCounts]>;
}

/** Throws AmountOverflowError when a sum of cents is no longer exact (prix are capped, their sums are not). */
export function finalise(partial: PartialMetrics): Results {
  return finaliseVilles(
    Object.keys(partial.villes),
    (ville) => {
      const totals = partial.villes[ville];
      return { vente: totals.vente, location: totals.location, months: Object.entries(totals.months), modeles: Object.entries(totals.modeles) };
    },
    partial.rowsValid,
    partial.rowsRejected,
  );
}

/** One ville finalised: months ascending in euros, its counts, its first modeles ranked, how many it has. */
export interface FinalisedVille {
  months: Array<[string, number]>;
  repartition: { vente: number; location: number };
  topModeles: TopModele[];
  distinctModeles: number;
}

/** Throws AmountOverflowError when a sum of cents of the ville is past exact integer range. */
export function finaliseVille(ville: string, totals: VilleTotalsView): FinalisedVille {
  const monthList = [...totals.months];
  const modeles = [...totals.modeles];
  if (!monthList.every(([, cents]) => Number.isSafeInteger(cents)) || !modeles.every(([, m]) => Number.isSafeInteger(m.caCents))) {
    throw new AmountOverflowError(ville);
  }
  // `YYYY-MM` keys: text order is time order.
  const months = monthList.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([month, cents]): [string, number] => [month, centsToEuros(cents)]);
  const topModeles = modeles
    .sort(([modeleA, a], [modeleB, b]) => b.transactions - a.transactions || compareCodePoints(modeleA, modeleB))
    .slice(0, TOP_MODELES_KEPT)
    .map(([modele, counts]) => ({
      modele,
      transactions: counts.transactions,
      ventes: counts.ventes,
      locations: counts.locations,
      ca: centsToEuros(counts.caCents),
    }));
  return { months, repartition: { vente: totals.vente, location: totals.location }, topModeles, distinctModeles: modeles.length };
}

/** finalise over villes read through `villeOf` (MetricsMerger's arrays, say), built once, never copied first. */
export function finaliseVilles(villeNames: Iterable<string>, villeOf: (ville: string) => VilleTotalsView, rowsValid: number, rowsRejected: number): Results {
  const villes = [...villeNames].sort(compareVilles);
  const caMensuel = dataRecord<Record<string, number>>();
  const repartition = dataRecord<{ vente: number; location: number }>();
  const topModeles = dataRecord<TopModele[]>();
  const distinctModeles = dataRecord<number>();
  for (const ville of villes) {
    const finalised = finaliseVille(ville, villeOf(ville));
    const months = dataRecord<number>();
    for (const [month, euros] of finalised.months) months[month] = euros;
    caMensuel[ville] = months;
    repartition[ville] = finalised.repartition;
    topModeles[ville] = finalised.topModeles;
    distinctModeles[ville] = finalised.distinctModeles;
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
 * The JSON text of finaliseVilles' Results, written ville by ville without building the Results objects, in
 * pieces, in order, so that the reduce sends it on without ever holding it whole. JSON.parse of the joined
 * pieces equals the Results (the key order of the text is the villes' collation order; an object keeps
 * integer-like keys first). Each ville is finalised once: its `ca_mensuel` piece goes out at once, its other
 * pieces wait for their section.
 */
export function* finaliseVillesJsonPieces(
  villeNames: Iterable<string>,
  villeOf: (ville: string) => VilleTotalsView,
  rowsValid: number,
  rowsRejected: number,
): Generator<string> {
  const villes = [...villeNames].sort(compareVilles);
  let repartition: string[] = [];
  let topModeles: string[] = [];
  let distinct: string[] = [];
  yield `{"villes":${JSON.stringify(villes)},"ca_mensuel":{`;
  for (let i = 0; i < villes.length; i += 1) {
    const finalised = finaliseVille(villes[i], villeOf(villes[i]));
    const key = JSON.stringify(villes[i]);
    const comma = i === 0 ? '' : ',';
    yield `${comma}${key}:{${finalised.months.map(([month, euros]) => `${JSON.stringify(month)}:${JSON.stringify(euros)}`).join(',')}}`;
    repartition.push(`${comma}${key}:${JSON.stringify(finalised.repartition)}`);
    topModeles.push(`${comma}${key}:${JSON.stringify(finalised.topModeles)}`);
    distinct.push(`${comma}${key}:${finalised.distinctModeles}`);
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
