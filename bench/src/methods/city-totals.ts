// What the alternatives to the product compute on their own (no help from the core): totals per city in
// integer cents, then the contract's presentation — French collation of villes, months ascending, models
// ranked by transactions then code point, the first 100 kept.
import type { ComparedMetrics } from '../compare-results.js';

export interface ModelTotals {
  transactions: number;
  ventes: number;
  locations: number;
  caCents: number;
}

export interface CityTotals {
  months: Map<string, number>;
  vente: number;
  location: number;
  models: Map<string, ModelTotals>;
}

export function cityTotals(cities: Map<string, CityTotals>, ville: string): CityTotals {
  let city = cities.get(ville);
  if (city === undefined) {
    city = { months: new Map(), vente: 0, location: 0, models: new Map() };
    cities.set(ville, city);
  }
  return city;
}

export function modelTotals(city: CityTotals, modele: string): ModelTotals {
  let model = city.models.get(modele);
  if (model === undefined) {
    model = { transactions: 0, ventes: 0, locations: 0, caCents: 0 };
    city.models.set(modele, model);
  }
  return model;
}

/** Counts one valid transaction into the totals: its city's month and type, its model's counts and revenue. */
export function countTransaction(cities: Map<string, CityTotals>, row: { ville: string; month: string; modele: string; type: 'vente' | 'location'; cents: number }): void {
  const city = cityTotals(cities, row.ville);
  city.months.set(row.month, (city.months.get(row.month) ?? 0) + row.cents);
  const model = modelTotals(city, row.modele);
  model.transactions++;
  model.caCents += row.cents;
  if (row.type === 'vente') {
    city.vente++;
    model.ventes++;
  } else {
    city.location++;
    model.locations++;
  }
}

const collator = new Intl.Collator('fr');

/** Code-point order: UTF-8 byte order, which is also what a database's binary collation gives. */
function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i].codePointAt(0) ?? 0) - (y[i].codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

export function metricsFromTotals(cities: Map<string, CityTotals>, rowsValid: number): ComparedMetrics {
  const villes = [...cities.keys()].sort((a, b) => collator.compare(a, b) || byCodePoint(a, b));
  const metrics: ComparedMetrics = { villes, ca_mensuel: {}, repartition: {}, top_modeles: {}, rows_valid: rowsValid };
  for (const ville of villes) {
    const city = cities.get(ville) as CityTotals;
    metrics.ca_mensuel[ville] = Object.fromEntries([...city.months].sort(([a], [b]) => (a < b ? -1 : 1)).map(([m, c]) => [m, c / 100]));
    metrics.repartition[ville] = { vente: city.vente, location: city.location };
    metrics.top_modeles[ville] = [...city.models]
      .sort(([ma, a], [mb, b]) => b.transactions - a.transactions || byCodePoint(ma, mb))
      // The published results keep each city's first 100 models.
      .slice(0, 100)
      .map(([modele, m]) => ({ modele, transactions: m.transactions, ventes: m.ventes, locations: m.locations, ca: m.caCents / 100 }));
  }
  return metrics;
}
