// The rows of a generated file, as fields, in order: realistic transactions from a seeded PRNG, with a
// share of rows that each break exactly one rule of the contract (so the expected reject reason is known).
import type { RejectReason } from '@autoconnect/core';
import { messyVocabulary, roughenUp } from './messy-forms.js';
import { createRandom, weightedPicker, type Random } from './random.js';
import type { ResolvedOptions } from './generator-options.js';
import { CAR_MODELS, CITIES, FIRST_DATE, LAST_DATE } from './vocabulary.js';

export const HEADER: readonly string[] = ['transaction_id', 'date', 'ville', 'type', 'modele', 'prix', 'duree_location_mois'];

/** The rules an invalid row breaks; an open quote can only end a file, so it is not generated. */
export type InvalidKind = Exclude<RejectReason, 'unterminated_quote'>;

export const INVALID_KINDS: readonly InvalidKind[] = [
  'invalid_date',
  'missing_ville',
  'invalid_type',
  'missing_modele',
  'invalid_prix',
  'invalid_duree',
  'field_count',
];

const BAD_DATES = ['2023-02-30', '2023-13-01', '2022-02-29', '2024-04-31', '2023-00-10', '2023-1-05', '31/02/2023', '32/01/2024', 'hier', ''];
const BAD_VILLES = ['', '   '];
const BAD_TYPES = ['achat', 'leasing', 'ventes', 'loc', ''];
const BAD_MODELES = ['', '  '];
const BAD_PRIX_POINT = ['-1500.00', '18990.999', 'N/A', '', '12.34.56', 'abc', '1e4'];
const BAD_PRIX_COMMA = ['-1500,00', '18990,999', 'N/A', '', '12,34,56', 'abc', '1e4'];
const BAD_DUREES = ['0', '601', 'abc', '-3', '12.5'];
const EXTRA_FIELD = 'extra';
const RENTAL_TERMS = ['12', '24', '36', '48', '60'];

const DAY_MS = 86_400_000;

function dayStrings(format: 'iso' | 'fr'): string[] {
  const first = Date.parse(`${FIRST_DATE}T00:00:00Z`);
  const last = Date.parse(`${LAST_DATE}T00:00:00Z`);
  const days: string[] = [];
  for (let t = first; t <= last; t += DAY_MS) {
    const iso = new Date(t).toISOString().slice(0, 10);
    days.push(format === 'iso' ? iso : `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`);
  }
  return days;
}

export class TransactionRows {
  readonly header = HEADER;
  private readonly random: Random;
  /** Messiness draws from a stream of its own, so a messy file holds the same transactions as its clean twin. */
  private readonly messRandom: Random;
  private readonly days: string[];
  private readonly otherDays: string[];
  private readonly pickCity: (random: Random) => number;
  /** One model picker per city: each city has its own tastes, so rankings differ between cities. */
  private readonly pickModelIn: Array<(random: Random) => number>;
  private readonly decimalMark: string;
  private readonly badPrix: readonly string[];
  private produced = 0;

  constructor(private readonly options: ResolvedOptions) {
    this.random = createRandom(options.seed);
    this.messRandom = createRandom(options.seed ^ 0x5bd1e995);
    this.days = dayStrings(options.dateFormat);
    this.otherDays = dayStrings(options.dateFormat === 'iso' ? 'fr' : 'iso');
    this.pickCity = weightedPicker(CITIES.map((city) => city.weight));
    this.pickModelIn = CITIES.map(() =>
      weightedPicker(CAR_MODELS.map((model) => model.weight * (0.4 + 1.2 * this.random.next()))),
    );
    this.decimalMark = options.delimiter === ';' ? ',' : '.';
    this.badPrix = options.delimiter === ';' ? BAD_PRIX_COMMA : BAD_PRIX_POINT;
  }

  /** Every text a row can hold besides generated numbers, dates and ids: the values whose quoting matters. */
  static vocabulary(): string[] {
    const texts = [...CITIES.map((city) => city.name), ...CAR_MODELS.map((model) => model.name)];
    return [
      ...HEADER,
      ...texts,
      ...messyVocabulary(texts),
      'vente',
      'location',
      ...BAD_DATES,
      ...BAD_VILLES,
      ...BAD_TYPES,
      ...BAD_MODELES,
      ...BAD_PRIX_POINT,
      ...BAD_PRIX_COMMA,
      ...BAD_DUREES,
      EXTRA_FIELD,
    ];
  }

  /** The next data row's fields, or null once `rows` rows were produced. */
  next(): string[] | null {
    const { rows, invalidRatio, messyRatio } = this.options;
    if (this.produced >= rows) return null;
    const index = this.produced++;
    const random = this.random;

    // Rows come in date order, as an export would; days are spread evenly over the whole period.
    const day = Math.min(this.days.length - 1, Math.floor(((index + random.next()) * this.days.length) / rows));
    const cityIndex = this.pickCity(random);
    const model = CAR_MODELS[this.pickModelIn[cityIndex](random)];
    const isSale = random.next() < 0.6;
    const fields = [
      `TX${String(index + 1).padStart(6, '0')}`,
      this.days[day],
      CITIES[cityIndex].name,
      isSale ? 'vente' : 'location',
      model.name,
      isSale ? this.salePrice(model.basePrice) : this.monthlyRent(model.basePrice),
      isSale ? '' : this.rentalTerm(),
    ];
    if (messyRatio > 0 && this.messRandom.next() < messyRatio) {
      roughenUp(fields, this.otherDays[day], this.options.encoding, this.messRandom);
    }
    if (invalidRatio > 0 && random.next() < invalidRatio) this.breakOneRule(fields);
    return fields;
  }

  private salePrice(basePrice: number): string {
    const random = this.random;
    const euros = clamp(Math.round(basePrice * (0.85 + 0.3 * random.next())), 8_000, 59_999);
    const cents = random.next() < 0.5 ? 0 : random.int(100);
    return this.money(euros, cents);
  }

  private monthlyRent(basePrice: number): string {
    const random = this.random;
    const euros = clamp(Math.round(basePrice * 0.018 * (0.8 + 0.4 * random.next())), 150, 1_199);
    const cents = random.next() < 0.5 ? 90 : random.int(100);
    return this.money(euros, cents);
  }

  private rentalTerm(): string {
    const random = this.random;
    return random.next() < 0.6 ? RENTAL_TERMS[random.int(RENTAL_TERMS.length)] : String(1 + random.int(60));
  }

  private money(euros: number, cents: number): string {
    return `${euros}${this.decimalMark}${cents < 10 ? '0' : ''}${cents}`;
  }

  private breakOneRule(fields: string[]): void {
    const random = this.random;
    const pick = (values: readonly string[]): string => values[random.int(values.length)];
    switch (INVALID_KINDS[random.int(INVALID_KINDS.length)]) {
      case 'invalid_date':
        fields[1] = pick(BAD_DATES);
        break;
      case 'missing_ville':
        fields[2] = pick(BAD_VILLES);
        break;
      case 'invalid_type':
        fields[3] = pick(BAD_TYPES);
        break;
      case 'missing_modele':
        fields[4] = pick(BAD_MODELES);
        break;
      case 'invalid_prix':
        fields[5] = pick(this.badPrix);
        break;
      case 'invalid_duree':
        fields[6] = pick(BAD_DUREES);
        break;
      case 'field_count':
        if (random.next() < 0.5) fields.pop();
        else fields.push(EXTRA_FIELD);
        break;
    }
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
