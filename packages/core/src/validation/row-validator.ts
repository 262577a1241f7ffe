// The row rules of contract §1, applied to a record's bytes: the one place they are written. Checks run in
// column order (date, ville, type, modele, prix, duree_location_mois) after the record-level checks
// (quote left open, field count); the first broken rule is the row's reason.
import { trimEnd, trimStart } from '../csv/field-trim.js';
import { decodeBytes } from '../csv/text-decoding.js';
import { MAX_RECORD_BYTES } from '../csv/record-scanner.js';
import { printableText } from '../text/printable-text.js';
import type { ScannedRecord } from '../csv/scanned-record.js';
import type { HeaderLayout, RejectReason, SourceEncoding } from '../types.js';
import { parseDateMonthIndex } from './parse-date.js';
import { isValidDuree } from './parse-duree.js';
import { parsePrixCents } from './parse-prix.js';

/**
 * After `check` returns null, the fields hold the row's parsed values; ville and modele are left as trimmed
 * byte ranges of `record.fieldBuf` for the caller to intern (decoding every row would cost more than all
 * the rest).
 */
export class RowValidator {
  monthIndex = 0;
  isVente = false;
  cents = 0;
  villeStart = 0;
  villeEnd = 0;
  modeleStart = 0;
  modeleEnd = 0;
  private readonly fieldCount: number;
  private readonly dateAt: number;
  private readonly villeAt: number;
  private readonly typeAt: number;
  private readonly modeleAt: number;
  private readonly prixAt: number;
  private readonly dureeAt: number;

  constructor(
    layout: HeaderLayout,
    private readonly encoding: SourceEncoding,
    /** The readers' record cap, named in the reason of a record longer than it. */
    private readonly maxRecordBytes: number = MAX_RECORD_BYTES,
  ) {
    this.fieldCount = layout.fieldCount;
    this.dateAt = layout.columns.date;
    this.villeAt = layout.columns.ville;
    this.typeAt = layout.columns.type;
    this.modeleAt = layout.columns.modele;
    this.prixAt = layout.columns.prix;
    this.dureeAt = layout.columns.duree_location_mois;
  }

  /** null for a valid row (its values are then in this object's fields), else the first broken rule. */
  check(record: ScannedRecord): RejectReason | null {
    if (record.unterminated) return 'unterminated_quote';
    if (record.tooLong) return 'record_too_long';
    if (record.textAfterQuote) return 'text_after_quote';
    if (record.fieldCount !== this.fieldCount) return 'field_count';
    const buf = record.fieldBuf;
    const starts = record.fieldStart;
    const ends = record.fieldEnd;
    const encoding = this.encoding;

    let s = starts[this.dateAt];
    let e = ends[this.dateAt];
    if (s < e && !isPlain(buf[s])) s = trimStart(buf, s, e, encoding);
    if (s < e && !isPlain(buf[e - 1])) e = trimEnd(buf, s, e, encoding);
    const monthIndex = parseDateMonthIndex(buf, s, e);
    if (monthIndex < 0) return 'invalid_date';

    s = starts[this.villeAt];
    e = ends[this.villeAt];
    if (s < e && !isPlain(buf[s])) s = trimStart(buf, s, e, encoding);
    if (s < e && !isPlain(buf[e - 1])) e = trimEnd(buf, s, e, encoding);
    if (s === e) return 'missing_ville';
    this.villeStart = s;
    this.villeEnd = e;

    s = starts[this.typeAt];
    e = ends[this.typeAt];
    if (s < e && !isPlain(buf[s])) s = trimStart(buf, s, e, encoding);
    if (s < e && !isPlain(buf[e - 1])) e = trimEnd(buf, s, e, encoding);
    const type = parseType(buf, s, e);
    if (type === TYPE_INVALID) return 'invalid_type';

    s = starts[this.modeleAt];
    e = ends[this.modeleAt];
    if (s < e && !isPlain(buf[s])) s = trimStart(buf, s, e, encoding);
    if (s < e && !isPlain(buf[e - 1])) e = trimEnd(buf, s, e, encoding);
    if (s === e) return 'missing_modele';
    this.modeleStart = s;
    this.modeleEnd = e;

    s = starts[this.prixAt];
    e = ends[this.prixAt];
    if (s < e && !isPlain(buf[s])) s = trimStart(buf, s, e, encoding);
    if (s < e && !isPlain(buf[e - 1])) e = trimEnd(buf, s, e, encoding);
    const cents = parsePrixCents(buf, s, e, encoding);
    if (cents < 0) return 'invalid_prix';

    if (this.dureeAt >= 0) {
      s = starts[this.dureeAt];
      e = ends[this.dureeAt];
      if (s < e && !isPlain(buf[s])) s = trimStart(buf, s, e, encoding);
      if (s < e && !isPlain(buf[e - 1])) e = trimEnd(buf, s, e, encoding);
      if (!isValidDuree(buf, s, e)) return 'invalid_duree';
    }

    this.monthIndex = monthIndex;
    this.isVente = type === TYPE_VENTE;
    this.cents = cents;
    return null;
  }

  /** The readable reason of a rejected row, e.g. `invalid date '2023-13-01'`. Decodes; call only for samples. */
  describe(record: ScannedRecord, reason: RejectReason): string {
    switch (reason) {
      case 'unterminated_quote':
        return withSpannedLines('quoted field left open at the end of the file', record.spannedLines);
      case 'record_too_long':
        return `record longer than ${describeBytes(this.maxRecordBytes)}: its ${record.spannedLines} line(s) are rejected`;
      case 'text_after_quote':
        return withSpannedLines('text after the closing quote of a field', record.spannedLines);
      case 'field_count':
        return `expected ${this.fieldCount} fields, found ${record.fieldCount}`;
      case 'invalid_date':
        return `invalid date '${this.fieldText(record, this.dateAt)}'`;
      case 'missing_ville':
        return 'empty ville';
      case 'invalid_type':
        return `invalid type '${this.fieldText(record, this.typeAt)}' (expected vente or location)`;
      case 'missing_modele':
        return 'empty modele';
      case 'invalid_prix':
        return `invalid prix '${this.fieldText(record, this.prixAt)}'`;
      case 'invalid_duree':
        return `invalid duree_location_mois '${this.fieldText(record, this.dureeAt)}'`;
    }
  }

  private fieldText(record: ScannedRecord, at: number): string {
    return printableText(decodeBytes(record.fieldBuf, record.fieldStart[at], record.fieldEnd[at], this.encoding).trim());
  }
}

/** `8 MiB`, `1 KiB` or `40 bytes`. */
/** The reason of a record a quote ran away with, saying how many lines it takes with it when more than one. */
function withSpannedLines(reason: string, lines: number): string {
  return lines > 1 ? `${reason}: its ${lines} lines are rejected` : reason;
}

function describeBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** A printable ASCII byte: no trimming to do at a field end that has one (the common case, kept inline). */
function isPlain(byte: number): boolean {
  return byte > 0x20 && byte < 0x7f;
}

const TYPE_INVALID = 0;
const TYPE_VENTE = 1;
const TYPE_LOCATION = 2;
const VENTE = [0x76, 0x65, 0x6e, 0x74, 0x65];
const LOCATION = [0x6c, 0x6f, 0x63, 0x61, 0x74, 0x69, 0x6f, 0x6e];

/** `vente` / `location` in any ASCII case (`| 0x20` lowercases a letter and maps nothing else onto one). */
function parseType(buf: Uint8Array, start: number, end: number): number {
  const length = end - start;
  const word = length === 5 ? VENTE : length === 8 ? LOCATION : null;
  if (word === null) return TYPE_INVALID;
  for (let i = 0; i < length; i++) if ((buf[start + i] | 0x20) !== word[i]) return TYPE_INVALID;
  return length === 5 ? TYPE_VENTE : TYPE_LOCATION;
}
