// The streaming CSV reader every path shares: bytes in (cut anywhere), records out as byte offsets with
// their physical line numbers. From the start of a file it detects the delimiter on the header line and skips
// a UTF-8 BOM; given the delimiter, it reads records from anywhere in a file (a byte range after the header).
import { HeaderTooLongError } from '../errors/header-too-long-error.js';
import { COMMA, CR, LF, QUOTE, SEMICOLON } from './ascii.js';
import { RecordEndFinder } from './record-end-finder.js';
import { ScannedRecord } from './scanned-record.js';

export type RecordHandler = (record: ScannedRecord) => void;

const BOM = [0xef, 0xbb, 0xbf];

/** Longest record (line end aside) the readers split into fields; a longer one is rejected whole. */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;

export interface RecordScannerOptions {
  /**
   * Longest record kept (default MAX_RECORD_BYTES), line end excluded. A longer record — in practice a quote
   * opened by mistake — is scanned to its end (its lines counted) but arrives as `tooLong`, unsplit, whatever
   * buffers it came in, so memory stays bounded and the outcome does not depend on how the file was cut.
   */
  maxRecordBytes?: number;
  /** Bytes allowed before the header's line end (default 1 MiB); beyond, HeaderTooLongError. */
  maxHeaderBytes?: number;
  /**
   * false: quote-free records arrive unsplit (`record.unsplit`), for a consumer that reads the common row in
   * one walk of its own. Default true.
   */
  splitFields?: boolean;
  /**
   * The delimiter byte (`,` or `;`) when it is already known: the bytes are records of a file after its header
   * (no BOM, no header to find), as a map worker reads its range.
   */
  delimiter?: number;
  /** Line number of the first byte pushed (default 1). */
  firstLine?: number;
}

/**
 * Calls `onRecord` for every non-empty record (from the start of a file, the header first). Quote-free lines
 * take a fast path (one `indexOf` per line); a line holding a quote is split by a quote-aware pass that also
 * finds its end, so quoted delimiters and line breaks stay data. A record cut by the end of a buffer goes
 * through RecordEndFinder, which carries its quoting state over; only that record is copied.
 */
export class RecordScanner {
  /** The header's delimiter byte (`,` or `;`), 0 until the first non-empty line is complete. */
  delimiter = 0;
  bytesRead = 0;
  private readonly record = new ScannedRecord();
  private readonly finder = new RecordEndFinder(0);
  /** The unfinished record's first bytes (or, before the header, the unfinished start of the file). */
  private carry = Buffer.alloc(4096);
  private carryLength = 0;
  /** The unfinished record's length so far, bytes beyond the cap included; 0 when no record is unfinished. */
  private carryTotal = 0;
  /** Its last byte (a CR before the LF that ends it belongs to the line end). */
  private carryLastByte = 0;
  private bomChecked = false;
  /** Line number the next record starts on. */
  private line: number;

  private readonly maxRecordBytes: number;
  private readonly maxHeaderBytes: number;
  private readonly splitFields: boolean;

  constructor(
    private readonly onRecord: RecordHandler,
    options: RecordScannerOptions = {},
  ) {
    this.maxRecordBytes = options.maxRecordBytes ?? MAX_RECORD_BYTES;
    this.maxHeaderBytes = options.maxHeaderBytes ?? 1024 * 1024;
    this.splitFields = options.splitFields ?? true;
    this.line = options.firstLine ?? 1;
    if (options.delimiter !== undefined) {
      this.delimiter = options.delimiter;
      this.finder.delimiter = options.delimiter;
      this.bomChecked = true;
    }
  }

  /** Line number the next record would start on (one past the last line read, once a line end was read). */
  get nextLine(): number {
    return this.line;
  }

  /** Whether a record has begun and not ended yet (its line end still to come). */
  get hasUnfinishedRecord(): boolean {
    return this.carryTotal > 0;
  }

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.bytesRead += bytes.length;
    let buf = asBuffer(bytes);
    let pos = 0;
    if (this.delimiter === 0) {
      this.appendCarry(buf, 0, buf.length);
      buf = Buffer.from(this.carry.subarray(0, this.carryLength));
      this.carryLength = 0;
      this.carryTotal = 0;
      pos = this.readPrelude(buf, false);
      if (pos < 0) return;
    } else if (this.carryTotal > 0) {
      const consumed = this.continueRecord(buf);
      if (consumed < 0) return;
      pos = consumed;
    }
    this.scan(buf, pos);
  }

  /**
   * Continues only the unfinished record, if there is one: returns how many bytes of `bytes` it took (through
   * its line end) once it is complete and handed over, 0 when no record was unfinished, -1 when it goes on
   * past these bytes. Nothing after that record is read: a map worker finishes the last record of its range.
   */
  pushTail(bytes: Uint8Array): number {
    if (this.carryTotal === 0 || bytes.length === 0) return this.carryTotal === 0 ? 0 : -1;
    const buf = asBuffer(bytes);
    const consumed = this.continueRecord(buf);
    this.bytesRead += consumed < 0 ? buf.length : consumed;
    return consumed;
  }

  /** The end of the input: the last record may lack its line end, or still be inside quotes. */
  end(): void {
    if (this.delimiter === 0) {
      const rest = Buffer.from(this.carry.subarray(0, this.carryLength));
      this.carryLength = 0;
      this.carryTotal = 0;
      const pos = this.readPrelude(rest, true);
      // No LF follows a header found only now, so the record is the rest of the bytes.
      if (pos >= 0) this.emitLast(rest, pos, rest.length, 0, false, rest.length - pos);
      return;
    }
    if (this.carryTotal > 0) {
      this.emitLast(this.carry, 0, this.carryLength, this.finder.embeddedLineBreaks, this.finder.insideQuotes, this.carryTotal);
      this.carryLength = 0;
      this.carryTotal = 0;
    }
  }

  /** Feeds `buf` to the unfinished record; returns where it ended (after its LF), or -1 if it goes on. */
  private continueRecord(buf: Buffer): number {
    const lf = this.finder.scan(buf, 0, buf.length);
    if (lf < 0) {
      this.appendCarry(buf, 0, buf.length);
      return -1;
    }
    this.appendCarry(buf, 0, lf);
    const length = this.carryTotal - (this.carryLastByte === CR ? 1 : 0);
    const lines = this.finder.embeddedLineBreaks;
    if (length > this.maxRecordBytes) this.emitTooLong(this.carry, 0, Math.min(length, this.carryLength), lines + 1);
    else this.emit(this.carry, 0, this.carryLength, true, lines);
    this.carryLength = 0;
    this.carryTotal = 0;
    return lf + 1;
  }

  /**
   * The last record, which no line end follows: a CR at its end is data (only LF and CRLF end a line).
   * `insideQuotes`: the finder's state at its end, which decides when the record was cut at the cap.
   */
  private emitLast(buf: Uint8Array, start: number, end: number, embeddedLineBreaks: number, insideQuotes: boolean, length: number): void {
    const record = this.record;
    // A line break that ends the file inside quotes starts no line of its own.
    const spannedLines = 1 + embeddedLineBreaks - (embeddedLineBreaks > 0 && this.carryLastByte === LF ? 1 : 0);
    if (length > this.maxRecordBytes) {
      record.setTooLong(buf, start, end);
      record.unterminated = insideQuotes;
    } else {
      record.split(buf, start, end, this.delimiter, true);
    }
    record.spannedLines = spannedLines;
    record.line = this.line;
    this.line += 1 + embeddedLineBreaks;
    this.onRecord(record);
  }

  private scan(buf: Buffer, from: number): void {
    const n = buf.length;
    let pos = from;
    let nextQuote = indexOrLength(buf, QUOTE, pos);
    let tailScanned = false;
    const max = this.maxRecordBytes;
    while (pos < n) {
      const lf = buf.indexOf(LF, pos);
      if (lf < 0) break;
      if (nextQuote < pos) nextQuote = indexOrLength(buf, QUOTE, pos);
      if (nextQuote > lf) {
        this.emit(buf, pos, lf, false, 0);
        pos = lf + 1;
        continue;
      }
      const quotedEnd = this.record.splitQuotedLine(buf, pos, n, this.delimiter);
      if (quotedEnd >= 0) {
        const lines = this.record.embeddedLineBreaks;
        if (quotedEnd - pos - (buf[quotedEnd - 1] === CR ? 1 : 0) > max) {
          this.emitTooLong(buf, pos, quotedEnd, lines + 1);
        } else {
          this.record.spannedLines = lines + 1;
          this.record.line = this.line;
          this.line += 1 + lines;
          this.onRecord(this.record);
        }
        pos = quotedEnd + 1;
        continue;
      }
      this.finder.reset();
      const end = this.finder.scan(buf, pos, n);
      if (end < 0) {
        tailScanned = true;
        break;
      }
      this.emit(buf, pos, end, true, this.finder.embeddedLineBreaks);
      pos = end + 1;
    }
    if (pos < n) {
      if (!tailScanned) {
        this.finder.reset();
        this.finder.scan(buf, pos, n);
      }
      this.appendCarry(buf, pos, n);
    }
  }

  /** A record whose bytes run from `start` to its LF at `lineEnd`. */
  private emit(buf: Uint8Array, start: number, lineEnd: number, mayHaveQuote: boolean, embeddedLineBreaks: number): void {
    const end = lineEnd > start && buf[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
    if (end === start) {
      // An empty line: nothing before the line end.
      this.line++;
      return;
    }
    if (end - start > this.maxRecordBytes) {
      this.emitTooLong(buf, start, end, embeddedLineBreaks + 1);
      return;
    }
    const record = this.record;
    if (mayHaveQuote || this.splitFields) record.split(buf, start, end, this.delimiter, mayHaveQuote);
    else record.setUnsplit(buf, start, end);
    record.spannedLines = embeddedLineBreaks + 1;
    record.line = this.line;
    this.line += 1 + embeddedLineBreaks;
    this.onRecord(record);
  }

  /** A record longer than the cap, ended by a line end: rejected whole, each of its lines counted. */
  private emitTooLong(buf: Uint8Array, start: number, end: number, spannedLines: number): void {
    const record = this.record;
    record.setTooLong(buf, start, end);
    record.spannedLines = spannedLines;
    record.line = this.line;
    this.line += spannedLines;
    this.onRecord(record);
  }

  /**
   * Before the header: skips a BOM and empty lines, then picks the delimiter from the first non-empty line.
   * Returns where the header record starts, or -1 when more bytes are needed (kept in the carry).
   */
  private readPrelude(buf: Buffer, atEnd: boolean): number {
    let pos = 0;
    if (!this.bomChecked) {
      const prefix = Math.min(buf.length, 3);
      let matches = 0;
      while (matches < prefix && buf[matches] === BOM[matches]) matches++;
      if (matches < 3 && matches === buf.length && !atEnd) {
        this.appendCarry(buf, 0, buf.length);
        return -1;
      }
      this.bomChecked = true;
      if (matches === 3) pos = 3;
    }
    for (;;) {
      const lf = buf.indexOf(LF, pos);
      const lineEnd = lf < 0 ? buf.length : lf;
      if (lf < 0 && !atEnd) {
        if (buf.length - pos > this.maxHeaderBytes) throw new HeaderTooLongError(this.maxHeaderBytes);
        this.appendCarry(buf, pos, buf.length);
        return -1;
      }
      const end = lineEnd > pos && buf[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
      if (end > pos) {
        this.delimiter = headerDelimiter(buf, pos, end);
        this.finder.delimiter = this.delimiter;
        return pos;
      }
      if (lf < 0) return -1;
      this.line++;
      pos = lf + 1;
    }
  }

  /** Keeps `buf[from, to)` for the next buffer, up to the record cap of one record (before the header: all). */
  private appendCarry(buf: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    this.carryTotal += to - from;
    this.carryLastByte = buf[to - 1];
    // One byte past the cap is kept, so a record cut there is still seen to be longer than the cap.
    const room = this.delimiter === 0 ? Infinity : this.maxRecordBytes + 1 - this.carryLength;
    if (room <= 0) return;
    if (to - from > room) to = from + room;
    const needed = this.carryLength + (to - from);
    if (needed > this.carry.length) {
      const grown = Buffer.alloc(Math.max(needed, this.carry.length * 2));
      grown.set(this.carry.subarray(0, this.carryLength));
      this.carry = grown;
    }
    this.carry.set(buf.subarray(from, to), this.carryLength);
    this.carryLength = needed;
  }
}

/** `;` when the header line `buf[start, end)` holds more `;` than `,`, else `,` (contract §1). */
export function headerDelimiter(buf: Uint8Array, start: number, end: number): number {
  let semicolons = 0;
  let commas = 0;
  for (let i = start; i < end; i++) {
    if (buf[i] === SEMICOLON) semicolons++;
    else if (buf[i] === COMMA) commas++;
  }
  return semicolons > commas ? SEMICOLON : COMMA;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Index of the first `byte` of `buf` from `from` on, or buf.length when there is none. */
export function indexOrLength(buf: Buffer, byte: number, from: number): number {
  const i = buf.indexOf(byte, from);
  return i < 0 ? buf.length : i;
}
