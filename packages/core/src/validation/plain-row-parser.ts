// The common row read in one walk over its bytes: fields found, parsed and checked together, no split.
//
// Invariant: `parse` accepts only a strict subset of the rows RowValidator accepts, and for those gives the
// values RowValidator gives. It never rejects: any row it does not accept (false) goes through the general
// path (ScannedRecord.split, then RowValidator.check), which stays the one place the rules are written and
// the only one that finds reasons. Accepted rows are exactly those where:
// - no field starts with `"`, except a ville or modele quoted whole: `"` · bytes without `"` · `"`, then the
//   delimiter or the record's end; its value is then the bytes between the quotes, as the quote-aware split
//   gives it (so splitting this way is what ScannedRecord.split does), and the record has exactly the
//   header's number of fields;
// - date, ville, type, modele and prix (their values, inside any quotes) start and end with printable
//   ASCII (0x21–0x7E), so trimming would remove nothing, and duree_location_mois is empty or digits;
// - date is 10 bytes that parseDateMonthIndex (the validator's own function) accepts;
// - ville and modele are non-empty (their bytes go to the interner as the validator's would);
// - type is `vente` or `location` in lower case;
// - prix is digits, optionally `.` and one or two digits, under 10^13 euros: the plain form of the
//   validator's grammar, without thousands groups or a decimal comma;
// - duree_location_mois (when the column exists) is empty or digits with a value 1..600.
import { QUOTE } from '../csv/ascii.js';
import type { HeaderLayout } from '../types.js';
import { parseDateMonthIndex } from './parse-date.js';

const SKIP = 0;
const DATE = 1;
const VILLE = 2;
const TYPE = 3;
const MODELE = 4;
const PRIX = 5;
const DUREE = 6;

/** Roles of the contract's reference header, field by field. */
const REFERENCE_ROLES = [SKIP, DATE, VILLE, TYPE, MODELE, PRIX, DUREE];

const MAX_EUROS_EXCLUSIVE = 1e13;
const MAX_MONTHS = 600;

export class PlainRowParser {
  /** After `parse` returns true: the row's values, ville and modele as byte ranges of the record's buffer. */
  monthIndex = 0;
  isVente = false;
  cents = 0;
  villeStart = 0;
  villeEnd = 0;
  modeleStart = 0;
  modeleEnd = 0;
  /** Bounds of the value `textField` read last. */
  private textStart = 0;
  private textEnd = 0;
  /** What each field of a record is, by position. */
  private readonly roles: Uint8Array;
  private readonly delimiter: number;
  /** The header is the contract's reference one (any other order takes `parseAnyOrder`). */
  private readonly referenceOrder: boolean;

  constructor(layout: HeaderLayout, delimiter: number) {
    this.delimiter = delimiter;
    this.roles = new Uint8Array(layout.fieldCount);
    const { columns } = layout;
    this.roles[columns.date] = DATE;
    this.roles[columns.ville] = VILLE;
    this.roles[columns.type] = TYPE;
    this.roles[columns.modele] = MODELE;
    this.roles[columns.prix] = PRIX;
    if (columns.duree_location_mois >= 0) this.roles[columns.duree_location_mois] = DUREE;
    this.referenceOrder = REFERENCE_ROLES.length === this.roles.length && REFERENCE_ROLES.every((role, i) => this.roles[i] === role);
  }

  /** Whether `buf[start, end)` (one record, line end excluded) is a valid row of the plain form; see above. */
  parse(buf: Uint8Array, start: number, end: number): boolean {
    return this.referenceOrder ? this.parseReferenceOrder(buf, start, end) : this.parseAnyOrder(buf, start, end);
  }

  /**
   * The contract's reference header (transaction_id, date, ville, type, modele, prix, duree_location_mois):
   * the fields read in a straight line, which is markedly faster than dispatching on each field's role.
   */
  private parseReferenceOrder(buf: Uint8Array, start: number, end: number): boolean {
    const delimiter = this.delimiter;
    let i = start;
    if (i < end && buf[i] === QUOTE) return false;
    while (i < end && buf[i] !== delimiter) i++;
    if (i >= end) return false;
    i = this.dateField(buf, i + 1, end);
    if (i < 0 || i >= end || buf[i] !== delimiter) return false;
    i = this.textField(buf, i + 1, end);
    if (i < 0 || i >= end || buf[i] !== delimiter) return false;
    this.villeStart = this.textStart;
    this.villeEnd = this.textEnd;
    i = this.typeField(buf, i + 1, end);
    if (i < 0 || i >= end || buf[i] !== delimiter) return false;
    i = this.textField(buf, i + 1, end);
    if (i < 0 || i >= end || buf[i] !== delimiter) return false;
    this.modeleStart = this.textStart;
    this.modeleEnd = this.textEnd;
    i = this.prixField(buf, i + 1, end);
    if (i < 0 || i >= end || buf[i] !== delimiter) return false;
    return dureeEnd(buf, i + 1, end) === end;
  }

  private parseAnyOrder(buf: Uint8Array, start: number, end: number): boolean {
    const roles = this.roles;
    const last = roles.length - 1;
    const delimiter = this.delimiter;
    let i = start;
    for (let field = 0; ; field++) {
      // `i` is the field's first byte; each case leaves it on the byte after the field's bytes it accepts.
      switch (roles[field]) {
        case SKIP:
          if (i < end && buf[i] === QUOTE) return false;
          while (i < end && buf[i] !== delimiter) i++;
          break;
        case DATE:
          i = this.dateField(buf, i, end);
          break;
        case VILLE:
          i = this.textField(buf, i, end);
          this.villeStart = this.textStart;
          this.villeEnd = this.textEnd;
          break;
        case MODELE:
          i = this.textField(buf, i, end);
          this.modeleStart = this.textStart;
          this.modeleEnd = this.textEnd;
          break;
        case TYPE:
          i = this.typeField(buf, i, end);
          break;
        case PRIX:
          i = this.prixField(buf, i, end);
          break;
        default:
          i = dureeEnd(buf, i, end);
          break;
      }
      if (i < 0) return false;
      if (field === last) return i === end;
      if (i >= end || buf[i] !== delimiter) return false;
      i++;
    }
  }

  /** A date at `i` (10 bytes parseDateMonthIndex accepts) into monthIndex; the index after it, or -1. */
  private dateField(buf: Uint8Array, i: number, end: number): number {
    if (i + 10 > end) return -1;
    const monthIndex = parseDateMonthIndex(buf, i, i + 10);
    if (monthIndex < 0) return -1;
    this.monthIndex = monthIndex;
    return i + 10;
  }

  /** `vente` or `location` in lower case at `i` into isVente; the index after it, or -1. */
  private typeField(buf: Uint8Array, i: number, end: number): number {
    if (i + 5 <= end && buf[i] === 0x76 && buf[i + 1] === 0x65 && buf[i + 2] === 0x6e && buf[i + 3] === 0x74 && buf[i + 4] === 0x65) {
      this.isVente = true;
      return i + 5;
    }
    if (
      i + 8 <= end &&
      buf[i] === 0x6c &&
      buf[i + 1] === 0x6f &&
      buf[i + 2] === 0x63 &&
      buf[i + 3] === 0x61 &&
      buf[i + 4] === 0x74 &&
      buf[i + 5] === 0x69 &&
      buf[i + 6] === 0x6f &&
      buf[i + 7] === 0x6e
    ) {
      this.isVente = false;
      return i + 8;
    }
    return -1;
  }

  /** A prix `digits[.d[d]]` under 10^13 euros at `i` into cents; the index after it, or -1. */
  private prixField(buf: Uint8Array, i: number, end: number): number {
    const s = i;
    let euros = 0;
    let d = 0;
    while (i < end && (d = buf[i] - 0x30) >= 0 && d <= 9) {
      euros = euros * 10 + d;
      i++;
    }
    if (i === s || euros >= MAX_EUROS_EXCLUSIVE) return -1;
    let cents = 0;
    if (i < end && buf[i] === 0x2e) {
      const d1 = i + 1 < end ? buf[i + 1] - 0x30 : -1;
      if (d1 < 0 || d1 > 9) return -1;
      cents = d1 * 10;
      i += 2;
      const d2 = i < end ? buf[i] - 0x30 : -1;
      if (d2 >= 0 && d2 <= 9) {
        cents += d2;
        i++;
      }
    }
    this.cents = euros * 100 + cents;
    return i;
  }

  /**
   * A ville or modele at `i`: non-empty with printable ASCII ends, either unquoted or wholly quoted without
   * a `""` inside (then its value is the bytes between the quotes, as the quote-aware split gives them).
   * Its value's bounds go to textStart/textEnd; returns the index after the field's bytes, -1 if not so.
   */
  private textField(buf: Uint8Array, i: number, end: number): number {
    if (i >= end) return -1;
    const delimiter = this.delimiter;
    let s = i;
    let e: number;
    if (buf[i] === QUOTE) {
      s = i + 1;
      i = s;
      while (i < end && buf[i] !== QUOTE) i++;
      // The closing quote must end the field: `""` (an escaped quote) or bytes after it take the general path.
      if (i >= end || (i + 1 < end && buf[i + 1] !== delimiter)) return -1;
      e = i;
      i++;
    } else {
      while (i < end && buf[i] !== delimiter) i++;
      e = i;
    }
    if (e <= s || !isPlain(buf[s]) || !isPlain(buf[e - 1])) return -1;
    this.textStart = s;
    this.textEnd = e;
    return i;
  }
}

/** After a duree_location_mois at `i` (empty, or digits with a value 1..600): the index after it, or -1. */
function dureeEnd(buf: Uint8Array, i: number, end: number): number {
  const s = i;
  let value = 0;
  let d = 0;
  while (i < end && (d = buf[i] - 0x30) >= 0 && d <= 9) {
    value = value * 10 + d;
    if (value > MAX_MONTHS) return -1;
    i++;
  }
  return i > s && value < 1 ? -1 : i;
}

/** A printable ASCII byte: trimming removes nothing at a field end that has one. */
function isPlain(byte: number): boolean {
  return byte > 0x20 && byte < 0x7f;
}

