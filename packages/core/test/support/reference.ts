// A deliberately simple, separately written reading of contract §1–§2: the yardstick the core, the
// pipeline and the API are compared to. Whole file in memory, one character at a time; never fast.
//
// Readings of points the contract leaves open (kept here so implementations can align):
// - A `"` opens a quoted field only as the first character of a field; a `"` inside an unquoted field is a
//   plain character. After the closing quote, only blanks (space, tab, CR) may come before the next delimiter
//   or line end: any other character (`"Clio"x`, or a stray quote that a later quote closes) makes the record
//   rejected, every physical line it spans (`text_after_quote`).
// - A lone CR is not a line end (only LF and CRLF are); inside quotes, line breaks are kept as written.
// - The header's delimiter is chosen by counting `;` and `,` in the header's first physical line.
//   A header naming a column twice uses its first occurrence.
// - prix: `\d+` or thousands groups `\d{1,3}( \d{3})+` (separator: space, U+00A0 or U+202F), then
//   optionally `.` or `,` and one or two digits. No sign, no leading or trailing decimal mark.
// - duree_location_mois: ASCII digits only (leading zeros allowed), value 1..600.
// - Dates: years 0000–9999 of the proleptic Gregorian calendar.
// - villes with French collation, ties (strings the collator finds equal) broken by code-point order.
// - prix of 10^13 € or more is rejected: beyond that, sums of cents stop being exact doubles (a limit the
//   core documents too).
// - modele, like ville, is trimmed and NFC-normalised: `Citroën` is one modele however its bytes compose it.
// - Reject order: unterminated quote, record too long, text after a closing quote, field count, then date, ville, type, modele, prix, duree.
// - A record still inside quotes at the end of the file, or longer than the record cap (8 MiB; its bytes in
//   the file, line end excluded), is every physical line it spans rejected (a line break that ends the file
//   inside quotes starts no line of its own); its sample is its first line.
// - Values quoted in reasons: non-printable characters (controls, format characters such as bidi overrides and
//   zero-width ones, line separators, lone surrogates) escaped (\n, \xNN, \uNNNN, \u{NNNNN}), at most 100 characters
//   (cut with `…`).
// - top_modeles keeps each ville's first 100 modeles; distinct_modeles counts them all.
import iconv from 'iconv-lite';
import type { Delimiter, RejectReason, RejectSample, Results, TopModele } from '../../src/types.js';

export interface ReferenceOptions {
  /** A run fails when more than this share of its data rows is rejected (contract default 0.5). */
  maxRejectRatio?: number;
  /** How many reject samples to keep (the smallest line numbers). Default 20. */
  sampleLimit?: number;
  /** The record cap in bytes (default 8 MiB). */
  maxRecordBytes?: number;
}

/** A reject sample with its stable reason code next to the readable reason. */
export interface ReferenceSample extends RejectSample {
  code: RejectReason;
}

export interface ReferenceOutcome {
  results: Results;
  rowsValid: number;
  rowsRejected: number;
  rejectedByReason: Partial<Record<RejectReason, number>>;
  samples: ReferenceSample[];
  encoding: 'utf-8' | 'windows-1252';
  delimiter: Delimiter;
}

export type ReferenceFailureKind = 'empty_file' | 'missing_columns' | 'no_data_rows' | 'too_many_rejects';

export interface ReferenceFailure {
  error: string;
  kind: ReferenceFailureKind;
}

export type ReferenceResult = ReferenceOutcome | ReferenceFailure;

export function isReferenceFailure(result: ReferenceResult): result is ReferenceFailure {
  return 'error' in result;
}

/** Contract §1–§2 applied to a whole file's bytes. */
export function referenceCompute(fileBytes: Buffer, opts: ReferenceOptions = {}): ReferenceResult {
  const maxRejectRatio = opts.maxRejectRatio ?? 0.5;
  const sampleLimit = opts.sampleLimit ?? 20;
  const maxRecordBytes = opts.maxRecordBytes ?? 8 * 1024 * 1024;

  const { text, encoding } = decode(fileBytes);

  const firstLine = firstNonEmptyLine(text);
  if (firstLine === null) return { error: 'the file is empty', kind: 'empty_file' };
  const delimiter: Delimiter = count(firstLine, ';') > count(firstLine, ',') ? ';' : ',';

  const byteLength = (raw: string): number => (encoding === 'utf-8' ? Buffer.byteLength(raw, 'utf8') : raw.length);
  const records = parseRecords(text, delimiter).map((record) => ({ ...record, tooLong: byteLength(record.raw) > maxRecordBytes }));
  const header = records[0];
  const headerNames = header.fields.map((name) => name.trim().toLowerCase());
  const position = (name: string): number => headerNames.indexOf(name);
  const required = ['date', 'ville', 'type', 'modele', 'prix'];
  const missing = required.filter((name) => position(name) === -1);
  if (missing.length > 0) {
    return {
      error: `missing required column(s): ${missing.join(', ')}; found: ${listed(header.fields.map((f) => f.trim()))}`,
      kind: 'missing_columns',
    };
  }
  const at = {
    date: position('date'),
    ville: position('ville'),
    type: position('type'),
    modele: position('modele'),
    prix: position('prix'),
    duree: position('duree_location_mois'),
  };

  const dataRecords = records.slice(1);
  if (dataRecords.length === 0) return { error: 'the file has a header but no data rows', kind: 'no_data_rows' };

  const rejectedByReason: Partial<Record<RejectReason, number>> = {};
  const rejects: ReferenceSample[] = [];
  const validRows: ValidRow[] = [];
  let rowsRejected = 0;

  for (const record of dataRecords) {
    const verdict = checkRecord(record, header.fields.length, at, maxRecordBytes);
    if ('code' in verdict) {
      const rows = verdict.code === 'unterminated_quote' || verdict.code === 'record_too_long' || verdict.code === 'text_after_quote' ? record.spannedLines : 1;
      rejectedByReason[verdict.code] = (rejectedByReason[verdict.code] ?? 0) + rows;
      rowsRejected += rows;
      rejects.push({ line: record.line, reason: verdict.reason, code: verdict.code });
    } else {
      validRows.push(verdict);
    }
  }

  const rowsValid = validRows.length;
  if (rowsRejected / (rowsRejected + rowsValid) > maxRejectRatio) {
    return {
      error: `${rowsRejected} of ${rowsRejected + rowsValid} data rows rejected, more than the allowed ratio ${maxRejectRatio}`,
      kind: 'too_many_rejects',
    };
  }

  rejects.sort((a, b) => a.line - b.line);
  return {
    results: computeResults(validRows, rowsRejected),
    rowsValid,
    rowsRejected,
    rejectedByReason,
    samples: rejects.slice(0, sampleLimit),
    encoding,
    delimiter,
  };
}

// ---------------------------------------------------------------------------------------------------
// Decoding

function decode(bytes: Buffer): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  let body = bytes;
  if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) body = body.subarray(3);
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
    return { text, encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(body, 'windows-1252'), encoding: 'windows-1252' };
  }
}

// ---------------------------------------------------------------------------------------------------
// RFC 4180 records

interface CsvRecord {
  fields: string[];
  /** 1-based physical line where the record starts. */
  line: number;
  /** The record ended inside a quoted field (end of file). */
  unterminated: boolean;
  /** A character other than a blank followed a closing quote within its field. */
  textAfterQuote: boolean;
  /** Its text as written, line end excluded. */
  raw: string;
  /** Physical lines it spans. */
  spannedLines: number;
}

function firstNonEmptyLine(text: string): string | null {
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.length > 0) return line;
  }
  return null;
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}

function parseRecords(text: string, delimiter: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  // 'fieldStart': nothing read in this field yet; 'unquoted': reading plain text (or text after a closing
  // quote); 'quoted': inside quotes; 'quoteInQuoted': just saw a `"` inside quotes (escape or end).
  let state: 'fieldStart' | 'unquoted' | 'quoted' | 'quoteInQuoted' = 'fieldStart';
  let line = 1;
  let recordLine = 1;
  let recordHasChars = false;
  let recordStart = 0;
  // The current field's closing quote has been read; `textAfterQuote` is the record's.
  let closed = false;
  let textAfterQuote = false;

  const endRecord = (unterminated: boolean, rawEnd: number) => {
    if (recordHasChars) {
      fields.push(field);
      const raw = text.slice(recordStart, rawEnd);
      const lineBreaks = raw.split('\n').length - 1;
      const spannedLines = 1 + lineBreaks - (unterminated && raw.endsWith('\n') ? 1 : 0);
      records.push({ fields, line: recordLine, unterminated, textAfterQuote, raw, spannedLines });
    }
    fields = [];
    field = '';
    state = 'fieldStart';
    recordHasChars = false;
    closed = false;
    textAfterQuote = false;
  };

  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (!recordHasChars) {
      recordLine = line;
      recordStart = i;
    }

    if (state === 'quoted') {
      recordHasChars = true;
      if (c === '"') state = 'quoteInQuoted';
      else field += c;
      if (c === '\n') line++;
      continue;
    }
    if (state === 'quoteInQuoted') {
      if (c === '"') {
        field += '"';
        state = 'quoted';
        continue;
      }
      state = 'unquoted';
      closed = true;
      // fall through: the closing quote was the end of the quoted part
    }

    if (c === '\n') {
      endRecord(false, i > 0 && text[i - 1] === '\r' ? i - 1 : i);
      line++;
      continue;
    }
    if (c === '\r' && text[i + 1] === '\n') continue;

    recordHasChars = true;
    if (c === delimiter) {
      fields.push(field);
      field = '';
      state = 'fieldStart';
      closed = false;
    } else if (closed) {
      if (c !== ' ' && c !== '\t' && c !== '\r') textAfterQuote = true;
      field += c;
    } else if (c === '"' && state === 'fieldStart') {
      state = 'quoted';
    } else {
      field += c;
      state = 'unquoted';
    }
  }
  endRecord(state === 'quoted', text.length);
  return records;
}

// ---------------------------------------------------------------------------------------------------
// Rules

interface ValidRow {
  /** `YYYY-MM` */
  month: string;
  ville: string;
  type: 'vente' | 'location';
  modele: string;
  cents: bigint;
}

interface Rejection {
  code: RejectReason;
  reason: string;
}

interface ColumnPositions {
  date: number;
  ville: number;
  type: number;
  modele: number;
  prix: number;
  duree: number;
}

function checkRecord(record: CsvRecord & { tooLong: boolean }, headerFieldCount: number, at: ColumnPositions, maxRecordBytes: number): ValidRow | Rejection {
  if (record.unterminated) {
    const reason =
      record.spannedLines > 1
        ? `quoted field left open at the end of the file: its ${record.spannedLines} lines are rejected`
        : 'quoted field left open at the end of the file';
    return { code: 'unterminated_quote', reason };
  }
  if (record.tooLong) {
    return { code: 'record_too_long', reason: `record longer than ${bytesText(maxRecordBytes)}: its ${record.spannedLines} line(s) are rejected` };
  }
  if (record.textAfterQuote) {
    const reason =
      record.spannedLines > 1 ? `text after the closing quote of a field: its ${record.spannedLines} lines are rejected` : 'text after the closing quote of a field';
    return { code: 'text_after_quote', reason };
  }
  if (record.fields.length !== headerFieldCount) {
    return {
      code: 'field_count',
      reason: `expected ${headerFieldCount} fields, found ${record.fields.length}`,
    };
  }
  const f = record.fields.map((value) => value.trim());

  const month = monthOfDate(f[at.date]);
  if (month === null) return { code: 'invalid_date', reason: `invalid date '${quoted(f[at.date])}'` };

  const ville = f[at.ville].normalize('NFC');
  if (ville === '') return { code: 'missing_ville', reason: 'empty ville' };

  const type = f[at.type].toLowerCase();
  if (type !== 'vente' && type !== 'location') {
    return { code: 'invalid_type', reason: `invalid type '${quoted(f[at.type])}' (expected vente or location)` };
  }

  const modele = f[at.modele].normalize('NFC');
  if (modele === '') return { code: 'missing_modele', reason: 'empty modele' };

  const cents = centsOfPrix(f[at.prix]);
  if (cents === null) return { code: 'invalid_prix', reason: `invalid prix '${quoted(f[at.prix])}'` };

  if (at.duree !== -1) {
    const duree = f[at.duree];
    if (duree !== '' && !(/^[0-9]+$/.test(duree) && Number(duree) >= 1 && Number(duree) <= 600)) {
      return { code: 'invalid_duree', reason: `invalid duree_location_mois '${quoted(duree)}'` };
    }
  }

  return { month, ville, type, modele, cents };
}

/** A value as a reason quotes it: non-printable characters escaped, cut after 100 characters. */
function quoted(value: string, max = 100): string {
  const parts = Array.from(value, (char) => {
    const code = char.codePointAt(0)!;
    // Controls, format characters (bidi, zero-width, BOM), line/paragraph separators, lone surrogates.
    const hidden = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u.test(char);
    if (!hidden) return char;
    if (char === '\n') return '\\n';
    if (char === '\r') return '\\r';
    if (char === '\t') return '\\t';
    if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
    return code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
  });
  if (parts.join('').length <= max) return parts.join('');
  let out = '';
  for (const part of parts) {
    if (out.length + part.length > max) break;
    out += part;
  }
  return `${out}…`;
}

/** The names found in a header, as an error lists them: at most 20, each made printable and cut at 40 characters. */
function listed(names: string[]): string {
  const shown = names.slice(0, 20).map((name) => (name === '' ? '(empty)' : quoted(name, 40)));
  return names.length > 20 ? `${shown.join(', ')} and ${names.length - 20} more` : shown.join(', ');
}

function bytesText(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** `YYYY-MM` of a real calendar date written `YYYY-MM-DD` or `DD/MM/YYYY`, else null. */
function monthOfDate(value: string): string | null {
  let year: string;
  let month: string;
  let day: string;
  const iso = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value);
  const french = /^([0-9]{2})\/([0-9]{2})\/([0-9]{4})$/.exec(value);
  if (iso) [, year, month, day] = iso;
  else if (french) [, day, month, year] = french;
  else return null;

  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1) return null;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  if (d > daysInMonth) return null;
  return `${year}-${month}`;
}

/** Integer cents of a contract-valid prix, else null. */
function centsOfPrix(value: string): bigint | null {
  const match = /^([0-9]+|[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+)(?:[.,]([0-9]{1,2}))?$/.exec(value);
  if (!match) return null;
  const euros = BigInt(match[1].replace(/[ \u00a0\u202f]/g, ''));
  if (euros >= 10n ** 13n) return null;
  const decimals = (match[2] ?? '').padEnd(2, '0');
  return euros * 100n + BigInt(decimals);
}

// ---------------------------------------------------------------------------------------------------
// Metrics

interface ModeleTotals {
  transactions: number;
  ventes: number;
  locations: number;
  cents: bigint;
}

interface VilleTotals {
  months: Map<string, bigint>;
  vente: number;
  location: number;
  modeles: Map<string, ModeleTotals>;
}

function computeResults(rows: ValidRow[], rowsRejected: number): Results {
  const totalsByVille = new Map<string, VilleTotals>();
  for (const row of rows) {
    let totals = totalsByVille.get(row.ville);
    if (!totals) {
      totals = { months: new Map(), vente: 0, location: 0, modeles: new Map() };
      totalsByVille.set(row.ville, totals);
    }
    totals.months.set(row.month, (totals.months.get(row.month) ?? 0n) + row.cents);
    let modeleTotals = totals.modeles.get(row.modele);
    if (!modeleTotals) {
      modeleTotals = { transactions: 0, ventes: 0, locations: 0, cents: 0n };
      totals.modeles.set(row.modele, modeleTotals);
    }
    modeleTotals.transactions++;
    modeleTotals.cents += row.cents;
    if (row.type === 'vente') {
      totals.vente++;
      modeleTotals.ventes++;
    } else {
      totals.location++;
      modeleTotals.locations++;
    }
  }

  const collator = new Intl.Collator('fr');
  const villes = [...totalsByVille.keys()].sort((a, b) => collator.compare(a, b) || compareCodePoints(a, b));

  const results: Results = {
    villes,
    ca_mensuel: Object.create(null) as Results['ca_mensuel'],
    repartition: Object.create(null) as Results['repartition'],
    top_modeles: Object.create(null) as Results['top_modeles'],
    distinct_modeles: Object.create(null) as Results['distinct_modeles'],
    rows_valid: rows.length,
    rows_rejected: rowsRejected,
  };
  for (const ville of villes) {
    const totals = totalsByVille.get(ville)!;
    const months = Object.create(null) as Record<string, number>;
    for (const month of [...totals.months.keys()].sort()) months[month] = euros(totals.months.get(month)!);
    results.ca_mensuel[ville] = months;
    results.repartition[ville] = { vente: totals.vente, location: totals.location };
    const ranking: TopModele[] = [...totals.modeles.entries()]
      .sort(([nameA, a], [nameB, b]) => b.transactions - a.transactions || compareCodePoints(nameA, nameB))
      .map(([modele, m]) => ({
        modele,
        transactions: m.transactions,
        ventes: m.ventes,
        locations: m.locations,
        ca: euros(m.cents),
      }));
    results.top_modeles[ville] = ranking.slice(0, 100);
    results.distinct_modeles[ville] = ranking.length;
  }
  return results;
}

/**
 * Contract §2's percentage form: vente = round(100·v/(v+l), 2), half away from zero, location = 100 − vente.
 * Worked in integer hundredths of a percent so no binary fraction decides a rounding.
 */
export function referencePercentages(counts: { vente: number; location: number }): { vente: number; location: number } {
  const total = BigInt(counts.vente + counts.location);
  if (total === 0n) throw new RangeError('no transactions to share');
  // round(10000·v / t) for v, t ≥ 0, halves up: floor((2·10000·v + t) / 2t).
  const venteHundredths = (20000n * BigInt(counts.vente) + total) / (2n * total);
  const hundredthsText = (h: bigint): number => Number(`${h / 100n}.${(h % 100n).toString().padStart(2, '0')}`);
  return { vente: hundredthsText(venteHundredths), location: hundredthsText(10000n - venteHundredths) };
}

/** Euros as a JSON number with at most 2 decimals: the decimal text of the cents, parsed. */
function euros(cents: bigint): number {
  const whole = cents / 100n;
  const rest = (cents % 100n).toString().padStart(2, '0');
  return Number(`${whole}.${rest}`);
}

/** Order of Unicode code points (not UTF-16 code units, which differ above U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const ca = [...a].map((c) => c.codePointAt(0)!);
  const cb = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    if (ca[i] !== cb[i]) return ca[i] - cb[i];
  }
  return ca.length - cb.length;
}
