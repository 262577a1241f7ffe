// The reduce's running total: partial metrics added one at a time into mutable maps, so merging n partials
// costs time in proportion to their own keys (never to the total so far), and the key order is fixed once,
// at the end.
import { SAMPLE_LIMIT, type CityPartial, type ModelCounts, type PartialMetrics, type RejectReason, type RejectSample } from '../types.js';
import { compareCodePoints } from './compare-code-points.js';
import { dataRecord } from './data-record.js';

interface MergedCity {
  months: Map<string, number>;
  vente: number;
  location: number;
  models: Map<string, ModelCounts>;
}

export class MetricsMerger {
  rowsValid = 0;
  rowsRejected = 0;
  private readonly rejectedByReason = new Map<RejectReason, number>();
  /** Ascending by line, at most SAMPLE_LIMIT. */
  private samples: RejectSample[] = [];
  private readonly cities = new Map<string, MergedCity>();
  /** Distinct (ville, modele) pairs so far. */
  modeleCount = 0;

  get villeCount(): number {
    return this.cities.size;
  }

  /** A whole partial; its sample lines moved by `lineOffset` (a range's lines are counted from its start). */
  addPartial(partial: PartialMetrics, lineOffset = 0): void {
    this.addCounts(partial.rowsValid, partial.rowsRejected, partial.rejectedByReason);
    this.addSamples(partial.samples, lineOffset);
    for (const ville of Object.keys(partial.cities)) this.addCity(ville, partial.cities[ville]);
  }

  addCounts(rowsValid: number, rowsRejected: number, byReason: Partial<Record<RejectReason, number>>): void {
    this.rowsValid += rowsValid;
    this.rowsRejected += rowsRejected;
    for (const reason of Object.keys(byReason) as RejectReason[]) {
      this.rejectedByReason.set(reason, (this.rejectedByReason.get(reason) ?? 0) + (byReason[reason] ?? 0));
    }
  }

  addSamples(samples: readonly RejectSample[], lineOffset = 0): void {
    if (samples.length === 0) return;
    const all = [...this.samples, ...samples.map((s) => ({ line: s.line + lineOffset, reason: s.reason }))];
    this.samples = all.sort((x, y) => x.line - y.line || compareCodePoints(x.reason, y.reason)).slice(0, SAMPLE_LIMIT);
  }

  /** One city's partial metrics (read, never kept: the merger copies what it keeps). */
  addCity(ville: string, city: CityPartial): void {
    let merged = this.cities.get(ville);
    if (merged === undefined) {
      merged = { months: new Map(), vente: 0, location: 0, models: new Map() };
      this.cities.set(ville, merged);
    }
    merged.vente += city.vente;
    merged.location += city.location;
    for (const month of Object.keys(city.months)) merged.months.set(month, (merged.months.get(month) ?? 0) + city.months[month]);
    for (const modele of Object.keys(city.models)) {
      const counts = city.models[modele];
      const total = merged.models.get(modele);
      if (total === undefined) {
        merged.models.set(modele, { transactions: counts.transactions, ventes: counts.ventes, locations: counts.locations, caCents: counts.caCents });
        this.modeleCount++;
      } else {
        total.transactions += counts.transactions;
        total.ventes += counts.ventes;
        total.locations += counts.locations;
        total.caCents += counts.caCents;
      }
    }
  }

  /** The merged metrics, keys in canonical order (cities and models by code point, months ascending). */
  toPartial(): PartialMetrics {
    const cities = dataRecord<CityPartial>();
    for (const ville of [...this.cities.keys()].sort(compareCodePoints)) {
      const city = this.cities.get(ville)!;
      const months = dataRecord<number>();
      for (const month of [...city.months.keys()].sort()) months[month] = city.months.get(month)!;
      const models = dataRecord<ModelCounts>();
      for (const modele of [...city.models.keys()].sort(compareCodePoints)) models[modele] = { ...city.models.get(modele)! };
      cities[ville] = { months, vente: city.vente, location: city.location, models };
    }
    const rejectedByReason = dataRecord<number>() as Partial<Record<RejectReason, number>>;
    for (const reason of [...this.rejectedByReason.keys()].sort()) rejectedByReason[reason] = this.rejectedByReason.get(reason);
    return {
      rowsValid: this.rowsValid,
      rowsRejected: this.rowsRejected,
      rejectedByReason,
      samples: this.samples.map((s) => ({ ...s })),
      cities,
    };
  }
}
