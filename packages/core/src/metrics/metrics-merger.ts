// The reduce's running total: partial metrics added one at a time, so merging n partials costs time in
// proportion to their own keys (never to the total so far), and the key order is fixed once, at the end.
// Villes, modeles and months are numbered as they come; counts live in flat arrays indexed by (ville, modele) and
// (ville, month) pairs, so a run of 100,000 villes costs a few numbers per ville and per pair, not objects.
import { SAMPLE_LIMIT, type VillePartial, type ModeleCounts, type PartialMetrics, type RejectReason, type RejectSample, type Results } from '../types.js';
import type { CompactVille } from './ville-json.js';
import { compareCodePoints } from './compare-code-points.js';
import { dataRecord } from './data-record.js';
import { finaliseVilles, finaliseVillesJsonPieces, type VilleTotalsView } from './finalise.js';
import { groupByVille, grown, ModelePairCounts, MonthPairCounts, pairsOf } from './pair-table.js';

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
  private readonly modelePairs = new ModelePairCounts();
  private readonly monthPairs = new MonthPairCounts();

  get villeCount(): number {
    return this.villes.names.length;
  }

  /** Distinct modeles so far (a modele is one however many villes it is sold in). */
  get modeleCount(): number {
    return this.modeles.names.length;
  }

  /** Distinct (ville, modele) pairs so far. */
  get pairCount(): number {
    return this.modelePairs.pairs.count;
  }

  /** A whole partial; its sample lines moved by `lineOffset` (a range's lines are counted from its start). */
  addPartial(partial: PartialMetrics, lineOffset = 0): void {
    this.addCounts(partial.rowsValid, partial.rowsRejected, partial.rejectedByReason);
    this.addSamples(partial.samples, lineOffset);
    for (const ville of Object.keys(partial.villes)) this.addVille(ville, partial.villes[ville]);
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

  /** One ville's partial metrics (read, never kept). */
  addVille(ville: string, partial: VillePartial): void {
    const id = this.villeId(ville, partial.vente, partial.location);
    for (const month of Object.keys(partial.months)) this.addMonth(id, month, partial.months[month]);
    for (const modele of Object.keys(partial.modeles)) {
      const counts = partial.modeles[modele];
      this.addModele(id, modele, counts.ventes, counts.locations, counts.caCents);
    }
  }

  /** One ville's partial metrics in their stored form (see serialiseVille), read without building its objects. */
  addStoredVille(ville: string, json: string): void {
    const [vente, location, months, modeles] = JSON.parse(json) as CompactVille;
    const id = this.villeId(ville, vente, location);
    for (let i = 0; i < months.length; i += 2) this.addMonth(id, months[i] as string, months[i + 1] as number);
    for (let i = 0; i < modeles.length; i += 4) this.addModele(id, modeles[i] as string, modeles[i + 1] as number, modeles[i + 2] as number, modeles[i + 3] as number);
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

  private addModele(ville: number, modele: string, ventes: number, locations: number, cents: number): void {
    const pairs = this.modelePairs;
    const pair = pairs.index(ville, this.modeles.id(modele));
    pairs.ventes[pair] += ventes;
    pairs.locations[pair] += locations;
    pairs.cents[pair] += cents;
  }

  /** The rejected rows: counts by reason (sorted) and the samples with the smallest lines. */
  rejected(): { byReason: Partial<Record<RejectReason, number>>; samples: RejectSample[] } {
    const byReason = dataRecord<number>() as Partial<Record<RejectReason, number>>;
    for (const reason of [...this.rejectedByReason.keys()].sort()) byReason[reason] = this.rejectedByReason.get(reason);
    return { byReason, samples: this.samples.map((s) => ({ ...s })) };
  }

  /** The published results of what was merged (see finalise), built straight from the merger's arrays. */
  finalise(): Results {
    const villeOf = this.villeViews();
    return finaliseVilles(this.villes.names, (ville) => villeOf(this.villes.find(ville)!), this.rowsValid, this.rowsRejected);
  }

  /** finalise()'s results as JSON text in pieces, in order, for sending on without holding it whole (see finaliseVillesJsonPieces). */
  finaliseJsonPieces(): Generator<string> {
    const villeOf = this.villeViews();
    return finaliseVillesJsonPieces(this.villes.names, (ville) => villeOf(this.villes.find(ville)!), this.rowsValid, this.rowsRejected);
  }

  /** The merged metrics, keys in canonical order (villes and modeles by code point, months ascending). */
  toPartial(): PartialMetrics {
    const villeOf = this.villeViews();
    const villes = dataRecord<VillePartial>();
    for (const ville of [...this.villes.names].sort(compareCodePoints)) {
      const view = villeOf(this.villes.find(ville)!);
      const months = dataRecord<number>();
      for (const [month, cents] of [...view.months].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) months[month] = cents;
      const modeles = dataRecord<ModeleCounts>();
      for (const [modele, counts] of [...view.modeles].sort(([a], [b]) => compareCodePoints(a, b))) modeles[modele] = counts;
      villes[ville] = { months, vente: view.vente, location: view.location, modeles };
    }
    const { byReason, samples } = this.rejected();
    return { rowsValid: this.rowsValid, rowsRejected: this.rowsRejected, rejectedByReason: byReason, samples, villes };
  }

  /** Each ville's totals by its id, read from the pairs grouped once; its months and modeles built when read. */
  private villeViews(): (id: number) => VilleTotalsView {
    const monthsOf = groupByVille(this.monthPairs.pairs, this.villes.names.length);
    const modelePairsOf = groupByVille(this.modelePairs.pairs, this.villes.names.length);
    const { monthPairs, modelePairs, months, modeles } = this;
    return (id) => ({
      vente: this.villeVentes[id],
      location: this.villeLocations[id],
      get months() {
        return pairsOf(monthsOf, id).map((pair): [string, number] => [months.names[monthPairs.pairs.second[pair]], monthPairs.cents[pair]]);
      },
      get modeles() {
        return pairsOf(modelePairsOf, id).map((pair): [string, ModeleCounts] => {
          const ventes = modelePairs.ventes[pair];
          const locations = modelePairs.locations[pair];
          return [modeles.names[modelePairs.pairs.second[pair]], { transactions: ventes + locations, ventes, locations, caCents: modelePairs.cents[pair] }];
        });
      },
      modeleCount: modelePairsOf.start[id + 1] - modelePairsOf.start[id],
    });
  }
}
