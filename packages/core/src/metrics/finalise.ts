// From merged PartialMetrics to the published Results (contract §2): euros from cents, villes in French
// collation, months ascending, the models of a city ranked over the whole city, the first TOP_MODELES_KEPT kept.
import { AmountOverflowError } from '../errors/amount-overflow-error.js';
import type { PartialMetrics, Results, TopModele } from '../types.js';
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

/** Throws AmountOverflowError when a sum of cents is no longer exact (prix are capped, their sums are not). */
export function finalise(partial: PartialMetrics): Results {
  const villes = Object.keys(partial.cities).sort(compareVilles);
  const caMensuel = dataRecord<Record<string, number>>();
  const repartition = dataRecord<{ vente: number; location: number }>();
  const topModeles = dataRecord<TopModele[]>();
  const distinctModeles = dataRecord<number>();
  for (const ville of villes) {
    const city = partial.cities[ville];
    const sums = [...Object.values(city.months), ...Object.values(city.models).map((m) => m.caCents)];
    if (!sums.every(Number.isSafeInteger)) throw new AmountOverflowError(ville);
    const months = dataRecord<number>();
    // `YYYY-MM` keys: text order is time order.
    for (const month of Object.keys(city.months).sort()) months[month] = centsToEuros(city.months[month]);
    caMensuel[ville] = months;
    repartition[ville] = { vente: city.vente, location: city.location };
    const models = Object.entries(city.models);
    distinctModeles[ville] = models.length;
    topModeles[ville] = models
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
  return {
    villes,
    ca_mensuel: caMensuel,
    repartition,
    top_modeles: topModeles,
    distinct_modeles: distinctModeles,
    rows_valid: partial.rowsValid,
    rows_rejected: partial.rowsRejected,
  };
}
