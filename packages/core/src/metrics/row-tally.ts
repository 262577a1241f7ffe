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

  constructor(layout: HeaderLayout, encoding: SourceEncoding) {
    this.delimiter = layout.delimiter === ';' ? SEMICOLON : COMMA;
    this.validator = new RowValidator(layout, encoding);
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
    this.accumulator.addRejected(reason);
    if (this.accumulator.wantsSample(record.line)) this.accumulator.addSample(record.line, validator.describe(record, reason));
  }

  /**
   * The ville of the city-chunk being counted (ACC3: see chunk-format.ts), `chunk[start, end)`: an empty ville
   * field in its records stands for it.
   */
  useChunkVille(chunk: Uint8Array, start: number, end: number): void {
    this.plainRows.chunkVilleStart = start;
    this.plainRows.chunkVilleEnd = end;
    this.validator.chunkVille = chunk;
    this.validator.chunkVilleStart = start;
    this.validator.chunkVilleEnd = end;
  }

  /**
   * Counts a data record given as its raw bytes (`buf[start, end)`: quotes included, line end excluded),
   * starting on physical line `line`; `holdsQuote`: whether a `"` is anywhere in it (see useChunkVille). A row
   * of the plain form is read in one walk (PlainRowParser); any other is split and goes through `count`, with
   * the same outcome it would have had there.
   */
  countBytes(buf: Uint8Array, start: number, end: number, line: number, holdsQuote = false): void {
    const plain = this.plainRows;
    if (plain.parse(buf, start, end, holdsQuote)) {
      this.accumulator.addValid(buf, plain.villeStart, plain.villeEnd, plain.modeleStart, plain.modeleEnd, plain.monthIndex, plain.isVente, plain.cents);
      return;
    }
    const record = this.record;
    record.split(buf, start, end, this.delimiter, true);
    record.line = line;
    this.count(record);
  }

  toPartial(): PartialMetrics {
    return this.accumulator.toPartial();
  }
}
