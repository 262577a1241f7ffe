// Counts valid rows into numeric slots and rejected rows by reason; builds the PartialMetrics objects only once,
// at the end. Villes and modeles are interned by their bytes (one table each for the whole range), months get
// slots; a ville's counts per modele and per month live in flat arrays indexed by (ville, modele) and (ville,
// month) pairs, so memory follows the pairs that occur: a range of 100,000 villes costs no more per ville than
// a few numbers.
import { viewOf } from '../byte-view.js';
import { monthKey } from '../validation/parse-date.js';
import { SAMPLE_LIMIT, type VillePartial, type ModeleCounts, type PartialMetrics, type RejectReason, type RejectSample, type SourceEncoding } from '../types.js';
import { compareCodePoints } from './compare-code-points.js';
import { dataRecord, sortedReasons } from './partial-metrics.js';
import type { CompactVille } from './ville-json.js';
import { groupByVille, grown, ModelePairCounts, MonthPairCounts, pairsOf } from './pair-table.js';
import { ValueInterner } from './value-interner.js';

/**
 * Months (`year * 12 + month - 1`) within 50 years of the first valid row's take the array; others, the Map.
 * A table of every month of years 0000–9999 would be 480 KB to allocate and fill per map job.
 */
const MONTH_WINDOW = 1200;

export class MetricsAccumulator {
  private readonly villes: ValueInterner;
  private readonly modeles: ValueInterner;
  /** By ville id. */
  private villeVentes = new Float64Array(16);
  private villeLocations = new Float64Array(16);
  /** Counts per (ville id, modele id) and per (ville id, month slot). */
  private readonly modelePairs = new ModelePairCounts();
  private readonly monthPairs = new MonthPairCounts();
  /** By ville id: the month slot of its last valid row and that (ville, month) pair (-1: none yet). */
  private lastMonthSlotOfVille = new Int32Array(16).fill(-1);
  private lastMonthPairOfVille = new Int32Array(16);
  /** Month index − monthWindowStart → month slot (dense, in order of first sight), -1 if not seen. */
  private readonly monthSlotOf = new Int32Array(MONTH_WINDOW).fill(-1);
  private monthWindowStart = -1;
  private readonly farMonthSlotOf = new Map<number, number>();
  private readonly monthIndexOfSlot: number[] = [];
  /** The month of the last valid row and its slot (-1: none yet). */
  private lastMonthIndex = -1;
  private lastMonthSlot = -1;
  private rowsValid = 0;
  private rowsRejected = 0;
  private readonly rejectedByReason = dataRecord<number>() as Partial<Record<RejectReason, number>>;
  /** Ascending by line. */
  private readonly samples: RejectSample[] = [];

  constructor(encoding: SourceEncoding) {
    this.villes = new ValueInterner(encoding);
    this.modeles = new ValueInterner(encoding);
  }

  /** A valid row; ville and modele are trimmed byte ranges of `buf`. */
  addValid(
    buf: Uint8Array,
    villeStart: number,
    villeEnd: number,
    modeleStart: number,
    modeleEnd: number,
    monthIndex: number,
    isVente: boolean,
    cents: number,
  ): void {
    this.rowsValid++;
    const ville = this.villes.internRepeated(buf, villeStart, villeEnd);
    if (ville >= this.villeVentes.length) this.growVilles(ville + 1);
    const modele = this.modeles.internByWords(buf, viewOf(buf), modeleStart, modeleEnd);
    const modelePairs = this.modelePairs;
    const pair = modelePairs.index(ville, modele);
    // Rows come in file order, mostly by date: the month is usually the previous row's, and the ville's last one.
    const slot = monthIndex === this.lastMonthIndex ? this.lastMonthSlot : this.monthSlot(monthIndex);
    const months = this.monthPairs;
    let monthPair: number;
    if (this.lastMonthSlotOfVille[ville] === slot) {
      monthPair = this.lastMonthPairOfVille[ville];
    } else {
      monthPair = months.index(ville, slot);
      this.lastMonthSlotOfVille[ville] = slot;
      this.lastMonthPairOfVille[ville] = monthPair;
    }
    months.cents[monthPair] += cents;
    months.rows[monthPair]++;
    modelePairs.cents[pair] += cents;
    if (isVente) {
      this.villeVentes[ville]++;
      modelePairs.ventes[pair]++;
    } else {
      this.villeLocations[ville]++;
      modelePairs.locations[pair]++;
    }
  }

  private growVilles(size: number): void {
    const length = this.villeVentes.length;
    this.villeVentes = grown(this.villeVentes, size);
    this.villeLocations = grown(this.villeLocations, size);
    if (this.villeVentes.length > length) {
      const slots = new Int32Array(this.villeVentes.length).fill(-1);
      slots.set(this.lastMonthSlotOfVille);
      this.lastMonthSlotOfVille = slots;
      const pairs = new Int32Array(this.villeVentes.length);
      pairs.set(this.lastMonthPairOfVille);
      this.lastMonthPairOfVille = pairs;
    }
  }

  /** The slot of a month, taken if new. */
  private monthSlot(monthIndex: number): number {
    if (this.monthWindowStart < 0) this.monthWindowStart = Math.max(0, monthIndex - MONTH_WINDOW / 2);
    const inWindow = monthIndex - this.monthWindowStart;
    let slot = inWindow >= 0 && inWindow < MONTH_WINDOW ? this.monthSlotOf[inWindow] : (this.farMonthSlotOf.get(monthIndex) ?? -1);
    if (slot < 0) {
      slot = this.monthIndexOfSlot.length;
      this.monthIndexOfSlot.push(monthIndex);
      if (inWindow >= 0 && inWindow < MONTH_WINDOW) this.monthSlotOf[inWindow] = slot;
      else this.farMonthSlotOf.set(monthIndex, slot);
    }
    this.lastMonthIndex = monthIndex;
    this.lastMonthSlot = slot;
    return slot;
  }

  /**
   * Counts `rows` rejected rows (a record's physical lines, for one whose quote ran away); its readable reason
   * goes through wantsSample / addSample, written only if kept.
   */
  addRejected(reason: RejectReason, rows = 1): void {
    this.rowsRejected += rows;
    this.rejectedByReason[reason] = (this.rejectedByReason[reason] ?? 0) + rows;
  }

  /** Distinct villes counted so far. */
  get villeCount(): number {
    return this.villes.values.length;
  }

  /** Distinct modeles counted so far (a modele is one however many villes it is sold in). */
  get modeleCount(): number {
    return this.modeles.values.length;
  }

  /** Distinct (ville, modele) pairs counted so far. */
  get pairCount(): number {
    return this.modelePairs.pairs.count;
  }

  /** Whether a sample at `line` would be among the SAMPLE_LIMIT smallest kept so far. */
  wantsSample(line: number): boolean {
    return this.samples.length < SAMPLE_LIMIT || line < this.samples[this.samples.length - 1].line;
  }

  addSample(line: number, reason: string): void {
    let at = this.samples.length;
    while (at > 0 && this.samples[at - 1].line > line) at--;
    this.samples.splice(at, 0, { line, reason });
    if (this.samples.length > SAMPLE_LIMIT) this.samples.pop();
  }

  /** Valid and rejected rows, rejected rows by reason, the samples: the partial without its villes. */
  counts(): Pick<PartialMetrics, 'rowsValid' | 'rowsRejected' | 'rejectedByReason' | 'samples'> {
    return {
      rowsValid: this.rowsValid,
      rowsRejected: this.rowsRejected,
      rejectedByReason: sortedReasons(this.rejectedByReason),
      samples: this.samples.map((sample) => ({ ...sample })),
    };
  }

  /**
   * Each ville's partial metrics in their stored form (serialiseVille's, byte for byte), one at a time, written
   * straight from the counts: a range of 100,000 villes never has them all as objects.
   */
  *storedVilles(): Generator<[string, string]> {
    const villeCount = this.villes.values.length;
    const monthsOf = groupByVille(this.monthPairs.pairs, villeCount);
    const modelePairsOf = groupByVille(this.modelePairs.pairs, villeCount);
    const modeles = this.modeles.values;
    for (let id = 0; id < villeCount; id++) {
      const months: Array<string | number> = [];
      const monthList = pairsOf(monthsOf, id)
        .filter((pair) => this.monthPairs.rows[pair] > 0)
        .map((pair) => ({ monthIndex: this.monthIndexOfSlot[this.monthPairs.pairs.second[pair]], pair }))
        .sort((x, y) => x.monthIndex - y.monthIndex);
      for (const { monthIndex, pair } of monthList) months.push(monthKey(monthIndex), this.monthPairs.cents[pair]);
      const modeleCounts: Array<string | number> = [];
      const modeleList = pairsOf(modelePairsOf, id).map((pair) => ({ modele: modeles[this.modelePairs.pairs.second[pair]], pair })).sort((x, y) => compareCodePoints(x.modele, y.modele));
      for (const { modele, pair } of modeleList) modeleCounts.push(modele, this.modelePairs.ventes[pair], this.modelePairs.locations[pair], this.modelePairs.cents[pair]);
      const compact: CompactVille = [this.villeVentes[id], this.villeLocations[id], months, modeleCounts];
      yield [this.villes.values[id], JSON.stringify(compact)];
    }
  }

  toPartial(): PartialMetrics {
    const villeCount = this.villes.values.length;
    const monthsOf = groupByVille(this.monthPairs.pairs, villeCount);
    const modelePairsOf = groupByVille(this.modelePairs.pairs, villeCount);
    const modeles = this.modeles.values;
    const villes = dataRecord<VillePartial>();
    const villeOrder = this.villes.values.map((ville, id) => ({ ville, id })).sort((x, y) => compareCodePoints(x.ville, y.ville));
    for (const { ville, id } of villeOrder) {
      const months = dataRecord<number>();
      const monthList = pairsOf(monthsOf, id)
        .filter((pair) => this.monthPairs.rows[pair] > 0)
        .map((pair) => ({ monthIndex: this.monthIndexOfSlot[this.monthPairs.pairs.second[pair]], pair }))
        .sort((x, y) => x.monthIndex - y.monthIndex);
      for (const { monthIndex, pair } of monthList) months[monthKey(monthIndex)] = this.monthPairs.cents[pair];
      const modeleCounts = dataRecord<ModeleCounts>();
      const modeleList = pairsOf(modelePairsOf, id).map((pair) => ({ modele: modeles[this.modelePairs.pairs.second[pair]], pair })).sort((x, y) => compareCodePoints(x.modele, y.modele));
      for (const { modele, pair } of modeleList) {
        const ventes = this.modelePairs.ventes[pair];
        const locations = this.modelePairs.locations[pair];
        modeleCounts[modele] = { transactions: ventes + locations, ventes, locations, caCents: this.modelePairs.cents[pair] };
      }
      villes[ville] = { months, vente: this.villeVentes[id], location: this.villeLocations[id], modeles: modeleCounts };
    }
    return {
      rowsValid: this.rowsValid,
      rowsRejected: this.rowsRejected,
      rejectedByReason: sortedReasons(this.rejectedByReason),
      samples: this.samples.map((sample) => ({ ...sample })),
      villes,
    };
  }
}
