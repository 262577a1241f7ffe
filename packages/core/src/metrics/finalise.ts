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

/**
 * What finalising reads of one ville's merged metrics, whatever holds them (records or maps). `months` and
 * `modeles` are each read once by a pass that needs them, and may be built on demand.
 */
export interface VilleTotalsView {
  vente: number;
  location: number;
  months: Iterable<[string, number]>;
  modeles: Iterable<[string, ModeleCounts]>;
  /** How many modeles `modeles` holds. */
  modeleCount: number;
}

/** Throws AmountOverflowError when a sum of cents is no longer exact (prix are capped, their sums are not). */
export function finalise(partial: PartialMetrics): Results {
  return finaliseVilles(
    Object.keys(partial.villes),
    (ville) => {
      const totals = partial.villes[ville];
      const modeles = Object.entries(totals.modeles);
      return { vente: totals.vente, location: totals.location, months: Object.entries(totals.months), modeles, modeleCount: modeles.length };
    },
    partial.rowsValid,
    partial.rowsRejected,
  );
}

/** A ville's months ascending, in euros; throws AmountOverflowError when a sum of cents is past exact integer range. */
function finaliseMonths(ville: string, months: Iterable<[string, number]>): Array<[string, number]> {
  const list = [...months];
  if (!list.every(([, cents]) => Number.isSafeInteger(cents))) throw new AmountOverflowError(ville);
  // `YYYY-MM` keys: text order is time order.
  return list.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([month, cents]): [string, number] => [month, centsToEuros(cents)]);
}

/** A ville's first TOP_MODELES_KEPT modeles ranked over the whole ville; throws AmountOverflowError like finaliseMonths. */
function rankModeles(ville: string, modeles: Iterable<[string, ModeleCounts]>): TopModele[] {
  const list = [...modeles];
  if (!list.every(([, m]) => Number.isSafeInteger(m.caCents))) throw new AmountOverflowError(ville);
  return list
    .sort(([modeleA, a], [modeleB, b]) => b.transactions - a.transactions || compareCodePoints(modeleA, modeleB))
    .slice(0, TOP_MODELES_KEPT)
    .map(([modele, counts]) => ({
      modele,
      transactions: counts.transactions,
      ventes: counts.ventes,
      locations: counts.locations,
      ca: centsToEuros(counts.caCents),
    }));
}

/** finalise over villes read through `villeOf` (MetricsMerger's arrays, say), built once, never copied first. */
export function finaliseVilles(villeNames: Iterable<string>, villeOf: (ville: string) => VilleTotalsView, rowsValid: number, rowsRejected: number): Results {
  const villes = [...villeNames].sort(compareVilles);
  const caMensuel = dataRecord<Record<string, number>>();
  const repartition = dataRecord<{ vente: number; location: number }>();
  const topModeles = dataRecord<TopModele[]>();
  const distinctModeles = dataRecord<number>();
  for (const ville of villes) {
    const totals = villeOf(ville);
    const months = dataRecord<number>();
    for (const [month, euros] of finaliseMonths(ville, totals.months)) months[month] = euros;
    caMensuel[ville] = months;
    repartition[ville] = { vente: totals.vente, location: totals.location };
    topModeles[ville] = rankModeles(ville, totals.modeles);
    distinctModeles[ville] = totals.modeleCount;
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
 * The JSON text of finaliseVilles' Results, written without building the Results objects, in pieces, in order,
 * so that the reduce sends it on without ever holding it whole. JSON.parse of the joined pieces equals the
 * Results (the key order of the text is the villes' collation order; an object keeps integer-like keys first).
 * One pass over the villes per section, each reading only what its section needs: nothing of a ville is kept
 * from one section to the next, so what is held besides the villes' names is a ville's text at a time.
 */
export function* finaliseVillesJsonPieces(
  villeNames: Iterable<string>,
  villeOf: (ville: string) => VilleTotalsView,
  rowsValid: number,
  rowsRejected: number,
): Generator<string> {
  const villes = [...villeNames].sort(compareVilles);
  yield `{"villes":${JSON.stringify(villes)}`;
  yield* section('ca_mensuel', (ville, totals) => {
    const months = finaliseMonths(ville, totals.months);
    return `{${months.map(([month, euros]) => `${JSON.stringify(month)}:${JSON.stringify(euros)}`).join(',')}}`;
  });
  yield* section('repartition', (_ville, totals) => JSON.stringify({ vente: totals.vente, location: totals.location }));
  yield* section('top_modeles', (ville, totals) => JSON.stringify(rankModeles(ville, totals.modeles)));
  yield* section('distinct_modeles', (_ville, totals) => String(totals.modeleCount));
  yield `,"rows_valid":${rowsValid},"rows_rejected":${rowsRejected}}`;

  function* section(name: string, valueText: (ville: string, totals: VilleTotalsView) => string): Generator<string> {
    yield `,${JSON.stringify(name)}:{`;
    for (let i = 0; i < villes.length; i += 1) yield `${i === 0 ? '' : ','}${JSON.stringify(villes[i])}:${valueText(villes[i], villeOf(villes[i]))}`;
    yield '}';
  }
}
