// The single-process path: the whole file through the scanner and validator straight into metrics, no ranges.
// Same rules as the map step (RangeMapper) and the header reader, which share the scanner and the validator.
import { readHeaderLayout } from './csv/header-layout.js';
import { RecordScanner } from './csv/record-scanner.js';
import type { ScannedRecord } from './csv/scanned-record.js';
import { EmptyFileError } from './errors/empty-file-error.js';
import { NoDataRowsError } from './errors/no-data-rows-error.js';
import { RowTally } from './metrics/row-tally.js';
import type { HeaderLayout, PartialMetrics, SourceEncoding } from './types.js';

export interface CsvAggregatorOptions {
  /** The file's encoding, as a Utf8Checker over the whole file found it; UTF-8 by default. */
  encoding?: SourceEncoding;
  /** Record cap (MAX_RECORD_BYTES by default). */
  maxRecordBytes?: number;
}

export class CsvAggregator {
  layout: HeaderLayout | null = null;
  /** Data records read so far (the header and empty lines aside). */
  rowsRead = 0;
  private readonly encoding: SourceEncoding;
  private readonly maxRecordBytes: number | undefined;
  private readonly scanner: RecordScanner;
  private tally: RowTally | null = null;

  constructor(options: CsvAggregatorOptions = {}) {
    this.encoding = options.encoding ?? 'utf-8';
    this.maxRecordBytes = options.maxRecordBytes;
    // Quote-free records arrive unsplit: RowTally.countBytes reads most of them without splitting.
    this.scanner = new RecordScanner((record) => this.take(record), { splitFields: false, maxRecordBytes: options.maxRecordBytes });
  }

  get bytesRead(): number {
    return this.scanner.bytesRead;
  }

  push(bytes: Uint8Array): void {
    this.scanner.push(bytes);
  }

  end(): PartialMetrics {
    this.scanner.end();
    if (this.tally === null) throw new EmptyFileError();
    if (this.rowsRead === 0) throw new NoDataRowsError();
    return this.tally.toPartial();
  }

  private take(record: ScannedRecord): void {
    if (this.tally === null) {
      if (record.unsplit) record.split(record.buf, record.start, record.end, this.scanner.delimiter, false);
      this.layout = readHeaderLayout(record, this.scanner.delimiter, this.encoding);
      this.tally = new RowTally(this.layout, this.encoding, this.maxRecordBytes);
      return;
    }
    this.rowsRead++;
    if (record.unsplit) this.tally.countBytes(record.buf, record.start, record.end, record.line);
    else this.tally.count(record);
  }
}
