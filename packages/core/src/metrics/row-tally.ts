// Validates records and counts them: the one path from a record to metrics, shared by the single-process
// aggregator and the map step, so both apply the same rules the same way.
import type { ScannedRecord } from '../csv/scanned-record.js';
import type { HeaderLayout, PartialMetrics, SourceEncoding } from '../types.js';
import { RowValidator } from '../validation/row-validator.js';
import { MetricsAccumulator } from './metrics-accumulator.js';

export class RowTally {
  private readonly validator: RowValidator;
  private readonly accumulator: MetricsAccumulator;

  constructor(layout: HeaderLayout, encoding: SourceEncoding) {
    this.validator = new RowValidator(layout, encoding);
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

  toPartial(): PartialMetrics {
    return this.accumulator.toPartial();
  }
}
