// The reduce's running total: partial metrics added one at a time, so merging n partials costs time in
// proportion to their own keys (never to the total so far), and the key order is fixed once, at the end.
// Villes, models and months are numbered as they come; counts live in flat arrays indexed by (ville, model) and
// (ville, month) pairs, so a run of 100,000 villes costs a few numbers per ville and per pair, not objects.
import { SAMPLE_LIMIT, type CityPartial, type ModelCounts, type PartialMetrics, type RejectReason, type RejectSample, type Results } from '../types.js';
import type { CompactCity } from './city-json.js';
import { compareCodePoints } from './compare-code-points.js';
import { dataRecord } from './data-record.js';
import { finaliseCities, finaliseCitiesJson, finaliseCitiesJsonPieces, type CityTotalsView } from './finalise.js';
import { groupByVille, grown, ModelPairCounts, MonthPairCounts } from './pair-table.js';

/** Names numbered in order of first sight. */
class Names {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();

  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }

  find(name: string): number | undefined {
    return this.ids.get(name);
  }
}

export class MetricsMerger {
  rowsValid = 0;
  rowsRejected = 0;
  private readonly rejectedByReason = new Map<RejectReason, number>();
  /** Ascending by line, at most SAMPLE_LIMIT. */
  private samples: RejectSample[] = [];
  private readonly villes = new Names();
  private readonly modeles = new Names();
  private readonly months = new Names();
  private villeVentes = new Float64Array(16);
  private villeLocations = new Float64Array(16);
  private readonly models = new ModelPairCounts();
  private readonly monthPairs = new MonthPairCounts();

  get villeCount(): number {
    return this.villes.names.length;
  }

  /** Distinct models so far (a model is one however many villes it is sold in). */
  get modeleCount(): number {
    return this.modeles.names.length;
  }

  /** Distinct (ville, modele) pairs so far. */
  get pairCount(): number {
    return this.models.pairs.count;
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

  /** One city's partial metrics (read, never kept). */
  addCity(ville: string, city: CityPartial): void {
    const id = this.villeId(ville, city.vente, city.location);
    for (const month of Object.keys(city.months)) this.addMonth(id, month, city.months[month]);
    for (const modele of Object.keys(city.models)) {
      const counts = city.models[modele];
      this.addModel(id, modele, counts.ventes, counts.locations, counts.caCents);
    }
  }

  /** One city's partial metrics in their stored form (see serialiseCity), read without building its objects. */
  addStoredCity(ville: string, json: string): void {
    const [vente, location, months, models] = JSON.parse(json) as CompactCity;
    const id = this.villeId(ville, vente, location);
    for (let i = 0; i < months.length; i += 2) this.addMonth(id, months[i] as string, months[i + 1] as number);
    for (let i = 0; i < models.length; i += 4) this.addModel(id, models[i] as string, models[i + 1] as number, models[i + 2] as number, models[i + 3] as number);
  }

  private villeId(ville: string, vente: number, location: number): number {
    const id = this.villes.id(ville);
    if (id >= this.villeVentes.length) {
      this.villeVentes = grown(this.villeVentes, id + 1);
      this.villeLocations = grown(this.villeLocations, id + 1);
    }
    this.villeVentes[id] += vente;
    this.villeLocations[id] += location;
    return id;
  }

  private addMonth(ville: number, month: string, cents: number): void {
    const pair = this.monthPairs.index(ville, this.months.id(month));
    this.monthPairs.cents[pair] += cents;
  }

  private addModel(ville: number, modele: string, ventes: number, locations: number, cents: number): void {
    const models = this.models;
    const pair = models.index(ville, this.modeles.id(modele));
    models.ventes[pair] += ventes;
    models.locations[pair] += locations;
    models.cents[pair] += cents;
  }

  /** The rejected rows: counts by reason (sorted) and the samples with the smallest lines. */
  rejected(): { byReason: Partial<Record<RejectReason, number>>; samples: RejectSample[] } {
    const byReason = dataRecord<number>() as Partial<Record<RejectReason, number>>;
    for (const reason of [...this.rejectedByReason.keys()].sort()) byReason[reason] = this.rejectedByReason.get(reason);
    return { byReason, samples: this.samples.map((s) => ({ ...s })) };
  }

  /** The published results of what was merged (see finalise), built straight from the merger's arrays. */
  finalise(): Results {
    const cityOf = this.cityViews();
    return finaliseCities(this.villes.names, (ville) => cityOf(this.villes.find(ville)!), this.rowsValid, this.rowsRejected);
  }

  /** finalise()'s results as JSON text, written without building their objects (see finaliseCitiesJson). */
  finaliseJson(): string {
    const cityOf = this.cityViews();
    return finaliseCitiesJson(this.villes.names, (ville) => cityOf(this.villes.find(ville)!), this.rowsValid, this.rowsRejected);
  }

  /** finaliseJson()'s text in pieces, in order, for sending on without holding it whole (see finaliseCitiesJsonPieces). */
  finaliseJsonPieces(): Generator<string> {
    const cityOf = this.cityViews();
    return finaliseCitiesJsonPieces(this.villes.names, (ville) => cityOf(this.villes.find(ville)!), this.rowsValid, this.rowsRejected);
  }

  /** The merged metrics, keys in canonical order (cities and models by code point, months ascending). */
  toPartial(): PartialMetrics {
    const cityOf = this.cityViews();
    const cities = dataRecord<CityPartial>();
    for (const ville of [...this.villes.names].sort(compareCodePoints)) {
      const view = cityOf(this.villes.find(ville)!);
      const months = dataRecord<number>();
      for (const [month, cents] of [...view.months].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) months[month] = cents;
      const models = dataRecord<ModelCounts>();
      for (const [modele, counts] of [...view.models].sort(([a], [b]) => compareCodePoints(a, b))) models[modele] = counts;
      cities[ville] = { months, vente: view.vente, location: view.location, models };
    }
    const { byReason, samples } = this.rejected();
    return { rowsValid: this.rowsValid, rowsRejected: this.rowsRejected, rejectedByReason: byReason, samples, cities };
  }

  /** Each ville's totals by its id, read from the pairs grouped once. */
  private cityViews(): (id: number) => CityTotalsView {
    const monthsOf = groupByVille(this.monthPairs.pairs, this.villes.names.length);
    const modelsOf = groupByVille(this.models.pairs, this.villes.names.length);
    return (id) => ({
      vente: this.villeVentes[id],
      location: this.villeLocations[id],
      months: monthsOf[id].map((pair): [string, number] => [this.months.names[this.monthPairs.pairs.second[pair]], this.monthPairs.cents[pair]]),
      models: modelsOf[id].map((pair): [string, ModelCounts] => {
        const ventes = this.models.ventes[pair];
        const locations = this.models.locations[pair];
        return [this.modeles.names[this.models.pairs.second[pair]], { transactions: ventes + locations, ventes, locations, caCents: this.models.cents[pair] }];
      }),
    });
  }
}
