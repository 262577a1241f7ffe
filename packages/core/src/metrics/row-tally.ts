// Validates records and counts them: the one path from a record to metrics, shared by the single-process
// aggregator and the map step, so both apply the same rules the same way.
import { COMMA, SEMICOLON } from '../csv/ascii.js';
import { ScannedRecord } from '../csv/scanned-record.js';
import type { HeaderLayout, PartialMetrics, SourceEncoding } from '../types.js';
import { PlainRowParser } from '../validation/plain-row-parser.js';
import { RowValidator } from '../validation/row-validator.js';
import { MetricsAccumulator } from './metrics-accumulator.js';

export class RowTally {
  private readonly validator: RowValidator;
  private readonly plainRows: PlainRowParser;
  private readonly accumulator: MetricsAccumulator;
  private readonly delimiter: number;
  /** Fields of a record that `countBytes` hands to the validator. */
  private readonly record = new ScannedRecord();

  constructor(layout: HeaderLayout, encoding: SourceEncoding, maxRecordBytes?: number) {
    this.delimiter = layout.delimiter === ';' ? SEMICOLON : COMMA;
    this.validator = new RowValidator(layout, encoding, maxRecordBytes);
    this.plainRows = new PlainRowParser(layout, this.delimiter);
    this.accumulator = new MetricsAccumulator(encoding);
  }

  /** Counts a data record (its `line` set) as valid or rejected. */
  count(record: ScannedRecord): void {
    const validator = this.validator;
    const reason = validator.check(record);
    if (reason === null) {
      this.accumulator.addValid(
        record.fieldBuf,
        validator.villeStart,
        validator.villeEnd,
        validator.modeleStart,
        validator.modeleEnd,
        validator.monthIndex,
        validator.isVente,
        validator.cents,
      );
      return;
    }
    // A record a quote ran away with is every physical line it spans: a stray quote cannot hide the lines after it.
    const rows = reason === 'unterminated_quote' || reason === 'record_too_long' || reason === 'text_after_quote' ? record.spannedLines : 1;
    this.accumulator.addRejected(reason, rows);
    if (this.accumulator.wantsSample(record.line)) this.accumulator.addSample(record.line, validator.describe(record, reason));
  }

  /**
   * Counts a data record given as its raw bytes (`buf[start, end)`: quotes included, line end excluded),
   * starting on physical line `line`. A row of the plain form is read in one walk (PlainRowParser); any other
   * is split and goes through `count`, with the same outcome it would have had there.
   */
  countBytes(buf: Uint8Array, start: number, end: number, line: number): void {
    const plain = this.plainRows;
    if (plain.parse(buf, start, end)) {
      this.accumulator.addValid(buf, plain.villeStart, plain.villeEnd, plain.modeleStart, plain.modeleEnd, plain.monthIndex, plain.isVente, plain.cents);
      return;
    }
    const record = this.record;
    record.split(buf, start, end, this.delimiter, true);
    record.line = line;
    this.count(record);
  }

  /** Distinct villes, modeles and (ville, modele) pairs counted so far, for the cardinality limits. */
  get villeCount(): number {
    return this.accumulator.villeCount;
  }

  get modeleCount(): number {
    return this.accumulator.modeleCount;
  }

  get pairCount(): number {
    return this.accumulator.pairCount;
  }

  toPartial(): PartialMetrics {
    return this.accumulator.toPartial();
  }

  counts(): Pick<PartialMetrics, 'rowsValid' | 'rowsRejected' | 'rejectedByReason' | 'samples'> {
    return this.accumulator.counts();
  }

  storedVilles(): Generator<[string, string]> {
    return this.accumulator.storedVilles();
  }
}
