// The knobs of a generated file and their defaults; checked once, before any byte is produced.

export type CsvDelimiter = ',' | ';';
export type DateFormat = 'iso' | 'fr';
export type OutputEncoding = 'utf-8' | 'windows-1252';
/** `bulk`: rows assembled by hand, quoting decided by fast-csv once per value; `fast-csv`: its formatter stream. */
export type FormatEngine = 'bulk' | 'fast-csv';

export interface GeneratorOptions {
  /** Data rows, the header not counted. */
  rows: number;
  /** PRNG seed (an unsigned 32-bit integer); default 42. */
  seed?: number;
  /** Share of rows that break exactly one rule of the contract, 0..1; default 0. */
  invalidRatio?: number;
  /**
   * Share of rows with one field in another form the contract accepts (type casing, blanks around a field,
   * decomposed accents, grouped thousands, the other date format), 0..1; default 0. These draws come from a
   * stream of their own: the file holds the same transactions, so the same metrics, as with 0.
   */
  messyRatio?: number;
  /** `;` also writes prices with a decimal comma, as Excel's French export does; default `,`. */
  delimiter?: CsvDelimiter;
  /** `iso`: YYYY-MM-DD; `fr`: DD/MM/YYYY; default `iso`. */
  dateFormat?: DateFormat;
  /** CRLF line ends instead of LF. */
  crlf?: boolean;
  /** Start with a UTF-8 byte order mark (utf-8 only). */
  bom?: boolean;
  /** Default `utf-8`; `windows-1252` as Excel's French export writes. */
  encoding?: OutputEncoding;
  /** Default `bulk`. */
  engine?: FormatEngine;
}

export type ResolvedOptions = Required<GeneratorOptions>;

export function resolveOptions(options: GeneratorOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    rows: options.rows,
    seed: options.seed ?? 42,
    invalidRatio: options.invalidRatio ?? 0,
    messyRatio: options.messyRatio ?? 0,
    delimiter: options.delimiter ?? ',',
    dateFormat: options.dateFormat ?? 'iso',
    crlf: options.crlf ?? false,
    bom: options.bom ?? false,
    encoding: options.encoding ?? 'utf-8',
    engine: options.engine ?? 'bulk',
  };
  if (!Number.isSafeInteger(resolved.rows) || resolved.rows < 0) {
    throw new RangeError(`rows must be an integer ≥ 0, got ${options.rows}`);
  }
  if (!Number.isInteger(resolved.seed) || resolved.seed < 0 || resolved.seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer in 0..4294967295, got ${options.seed}`);
  }
  if (!(resolved.invalidRatio >= 0 && resolved.invalidRatio <= 1)) {
    throw new RangeError(`invalidRatio must be in 0..1, got ${options.invalidRatio}`);
  }
  if (!(resolved.messyRatio >= 0 && resolved.messyRatio <= 1)) {
    throw new RangeError(`messyRatio must be in 0..1, got ${options.messyRatio}`);
  }
  if (resolved.delimiter !== ',' && resolved.delimiter !== ';') {
    throw new RangeError(`delimiter must be ',' or ';', got '${String(options.delimiter)}'`);
  }
  if (resolved.dateFormat !== 'iso' && resolved.dateFormat !== 'fr') {
    throw new RangeError(`dateFormat must be 'iso' or 'fr', got '${String(options.dateFormat)}'`);
  }
  if (resolved.encoding !== 'utf-8' && resolved.encoding !== 'windows-1252') {
    throw new RangeError(`encoding must be 'utf-8' or 'windows-1252', got '${String(options.encoding)}'`);
  }
  if (resolved.bom && resolved.encoding !== 'utf-8') {
    throw new RangeError('a byte order mark is written for utf-8 only');
  }
  if (resolved.engine !== 'bulk' && resolved.engine !== 'fast-csv') {
    throw new RangeError(`engine must be 'bulk' or 'fast-csv', got '${String(options.engine)}'`);
  }
  return resolved;
}
