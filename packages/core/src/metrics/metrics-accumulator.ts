// Counts valid rows into numeric slots (cities and their models by interned id, months by index) and
// rejected rows by reason; builds the PartialMetrics objects only once, at the end.
import { viewOf } from '../byte-view.js';
import { monthKey } from '../validation/parse-date.js';
import { SAMPLE_LIMIT, type CityPartial, type ModelCounts, type PartialMetrics, type RejectReason, type RejectSample, type SourceEncoding } from '../types.js';
import { compareCodePoints } from './compare-code-points.js';
import { dataRecord, sortedReasons } from './partial-metrics.js';
import { ValueInterner } from './value-interner.js';

/**
 * Months (`year * 12 + month - 1`) within 50 years of the first valid row's take the array; others, the Map.
 * A table of every month of years 0000–9999 would be 480 KB to allocate and fill per map job.
 */
const MONTH_WINDOW = 1200;

class CityTotals {
  vente = 0;
  location = 0;
  readonly models: ValueInterner;
  /** By model id (typed arrays: one element kind whatever the values, so the hot loop stays monomorphic). */
  modelVentes = new Float64Array(16);
  modelLocations = new Float64Array(16);
  modelCents = new Float64Array(16);
  /** By month slot; a slot with 0 rows is a month this city has no row in. */
  monthCents = new Float64Array(8);
  monthRows = new Float64Array(8);

  constructor(encoding: SourceEncoding) {
    this.models = new ValueInterner(encoding);
  }

  growModels(models: number): void {
    const size = Math.max(models, this.modelCents.length * 2);
    const ventes = new Float64Array(size);
    const locations = new Float64Array(size);
    const cents = new Float64Array(size);
    ventes.set(this.modelVentes);
    locations.set(this.modelLocations);
    cents.set(this.modelCents);
    this.modelVentes = ventes;
    this.modelLocations = locations;
    this.modelCents = cents;
  }

  growMonths(slots: number): void {
    const size = Math.max(slots, this.monthCents.length * 2);
    const cents = new Float64Array(size);
    const rows = new Float64Array(size);
    cents.set(this.monthCents);
    rows.set(this.monthRows);
    this.monthCents = cents;
    this.monthRows = rows;
  }
}

export class MetricsAccumulator {
  private readonly villes: ValueInterner;
  private readonly cities: CityTotals[] = [];
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

  constructor(private readonly encoding: SourceEncoding) {
    this.villes = new ValueInterner(encoding);
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
    const cityId = this.villes.internRepeated(buf, villeStart, villeEnd);
    const city = cityId < this.cities.length ? this.cities[cityId] : this.addCity();
    const model = city.models.internByWords(buf, viewOf(buf), modeleStart, modeleEnd);
    if (model >= city.modelCents.length) city.growModels(model + 1);
    // Rows come in file order, mostly by date: the month is usually the previous row's.
    const slot = monthIndex === this.lastMonthIndex ? this.lastMonthSlot : this.monthSlot(monthIndex);
    if (slot >= city.monthCents.length) city.growMonths(slot + 1);
    city.monthCents[slot] += cents;
    city.monthRows[slot]++;
    city.modelCents[model] += cents;
    if (isVente) {
      city.vente++;
      city.modelVentes[model]++;
    } else {
      city.location++;
      city.modelLocations[model]++;
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

  /** Distinct (ville, modele) pairs counted so far. */
  get modeleCount(): number {
    let count = 0;
    for (const city of this.cities) count += city.models.values.length;
    return count;
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

  toPartial(): PartialMetrics {
    const cities = dataRecord<CityPartial>();
    const monthOrder = this.monthIndexOfSlot.map((monthIndex, slot) => ({ monthIndex, slot })).sort((x, y) => x.monthIndex - y.monthIndex);
    const villeOrder = this.villes.values.map((ville, id) => ({ ville, id })).sort((x, y) => compareCodePoints(x.ville, y.ville));
    for (const { ville, id } of villeOrder) {
      const city = this.cities[id];
      const months = dataRecord<number>();
      for (const { monthIndex, slot } of monthOrder) {
        if (slot < city.monthRows.length && city.monthRows[slot] > 0) months[monthKey(monthIndex)] = city.monthCents[slot];
      }
      const models = dataRecord<ModelCounts>();
      const modelOrder = city.models.values.map((modele, model) => ({ modele, model })).sort((x, y) => compareCodePoints(x.modele, y.modele));
      for (const { modele, model } of modelOrder) {
        const ventes = city.modelVentes[model];
        const locations = city.modelLocations[model];
        models[modele] = { transactions: ventes + locations, ventes, locations, caCents: city.modelCents[model] };
      }
      cities[ville] = { months, vente: city.vente, location: city.location, models };
    }
    return {
      rowsValid: this.rowsValid,
      rowsRejected: this.rowsRejected,
      rejectedByReason: sortedReasons(this.rejectedByReason),
      samples: this.samples.map((sample) => ({ ...sample })),
      cities,
    };
  }

  private addCity(): CityTotals {
    const city = new CityTotals(this.encoding);
    this.cities.push(city);
    return city;
  }
}
