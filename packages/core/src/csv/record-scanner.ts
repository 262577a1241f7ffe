// The streaming CSV reader every path shares: bytes in (cut anywhere), records out as byte offsets with
// their physical line numbers. Detects the delimiter on the header line and skips a UTF-8 BOM.
import { HeaderTooLongError } from '../errors/header-too-long-error.js';
import { COMMA, CR, LF, QUOTE, SEMICOLON } from './ascii.js';
import { RecordEndFinder } from './record-end-finder.js';
import { ScannedRecord } from './scanned-record.js';

export type RecordHandler = (record: ScannedRecord) => void;

/**
 * A consumer that takes runs of quote-free lines itself, in one tight loop of its own (the splitter), instead
 * of one call per record.
 */
export interface PlainRunConsumer {
  /**
   * Takes the complete lines of `buf` from `from` whose line end (LF) comes before `limit` — `limit` is the
   * first quote at or after `from`, or buf.length — and returns where it stopped: the start of the first
   * record not taken. It may also take records holding a quote, wholly inside `buf`, by the scanner's rules
   * (a quoted LF is data), looking for later quotes itself. Empty lines are skipped but counted. `line` is
   * the line number at `from`; the one at the returned position goes in `lineAfterRun`. Records it does not
   * want (before the header, say) it leaves to the scanner by stopping.
   */
  takePlainRun(buf: Buffer, from: number, limit: number, line: number): number;
  lineAfterRun: number;
}

const BOM = [0xef, 0xbb, 0xbf];

export interface RecordScannerOptions {
  /**
   * Bytes kept of one record (default 8 MiB). A longer record — in practice a quote opened by mistake that
   * swallows the rest of the file — is scanned to its end but only its first bytes are kept: still inside
   * its quotes there, it reads as unterminated (or as having the wrong field count), and memory stays bounded.
   */
  maxRecordBytes?: number;
  /** Bytes allowed before the header's line end (default 1 MiB); beyond, HeaderTooLongError. */
  maxHeaderBytes?: number;
  /**
   * false: quote-free records arrive unsplit (`record.unsplit`), for a consumer that needs one field only
   * and should not pay for splitting all of them. Default true.
   */
  splitFields?: boolean;
  /** Quote-free lines go to this consumer in runs (see PlainRunConsumer); the rest arrive at `onRecord`. */
  plainRuns?: PlainRunConsumer;
}

/**
 * Calls `onRecord` for every non-empty record, the header first. Quote-free lines take a fast path (one
 * `indexOf` per line, one pass over its bytes); a line holding a quote is split by a quote-aware pass that
 * also finds its end, so quoted delimiters and line breaks stay data. A record cut by the end of a buffer
 * goes through RecordEndFinder, which carries its quoting state over; only that record is copied.
 */
export class RecordScanner {
  /** The header's delimiter byte (`,` or `;`), 0 until the first non-empty line is complete. */
  delimiter = 0;
  bytesRead = 0;
  private readonly record = new ScannedRecord();
  private readonly finder = new RecordEndFinder(0);
  /** The unfinished record (or, before the header, the unfinished start of the file). */
  private carry = Buffer.alloc(4096);
  private carryLength = 0;
  private bomChecked = false;
  /** Line number the next record starts on. */
  private line = 1;

  private readonly maxRecordBytes: number;
  private readonly maxHeaderBytes: number;
  private readonly splitFields: boolean;
  private readonly plainRuns: PlainRunConsumer | null;

  constructor(
    private readonly onRecord: RecordHandler,
    options: RecordScannerOptions = {},
  ) {
    this.maxRecordBytes = options.maxRecordBytes ?? 8 * 1024 * 1024;
    this.maxHeaderBytes = options.maxHeaderBytes ?? 1024 * 1024;
    this.splitFields = options.splitFields ?? true;
    this.plainRuns = options.plainRuns ?? null;
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
      pos = this.readPrelude(buf, false);
      if (pos < 0) return;
    } else if (this.carryLength > 0) {
      const lf = this.finder.scan(buf, 0, buf.length);
      if (lf < 0) {
        this.appendCarry(buf, 0, buf.length);
        return;
      }
      this.appendCarry(buf, 0, lf);
      this.emit(this.carry, 0, this.carryLength, true, this.finder.embeddedLineBreaks);
      this.carryLength = 0;
      pos = lf + 1;
    }
    this.scan(buf, pos);
  }

  /** The end of the file: the last record may lack its line end, or still be inside quotes. */
  end(): void {
    if (this.delimiter === 0) {
      const rest = Buffer.from(this.carry.subarray(0, this.carryLength));
      this.carryLength = 0;
      const pos = this.readPrelude(rest, true);
      // No LF follows a header found only now, so the record is the rest of the bytes.
      if (pos >= 0) this.emitLast(rest, pos, rest.length, 0);
      return;
    }
    if (this.carryLength > 0) {
      this.emitLast(this.carry, 0, this.carryLength, this.finder.embeddedLineBreaks);
      this.carryLength = 0;
    }
  }

  /** The last record, which no line end follows: a CR at its end is data (only LF and CRLF end a line). */
  private emitLast(buf: Uint8Array, start: number, end: number, embeddedLineBreaks: number): void {
    const record = this.record;
    record.split(buf, start, end, this.delimiter, true);
    record.line = this.line;
    this.line += 1 + embeddedLineBreaks;
    this.onRecord(record);
  }

  private scan(buf: Buffer, from: number): void {
    const n = buf.length;
    let pos = from;
    let nextQuote = indexOrLength(buf, QUOTE, pos);
    let tailScanned = false;
    const plainRuns = this.plainRuns;
    while (pos < n) {
      if (plainRuns !== null) {
        if (nextQuote < pos) nextQuote = indexOrLength(buf, QUOTE, pos);
        const stop = plainRuns.takePlainRun(buf, pos, nextQuote, this.line);
        this.line = plainRuns.lineAfterRun;
        pos = stop;
        if (pos >= n) break;
      }
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
        this.record.line = this.line;
        this.line += 1 + this.record.embeddedLineBreaks;
        this.onRecord(this.record);
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
    const record = this.record;
    if (mayHaveQuote || this.splitFields) record.split(buf, start, end, this.delimiter, mayHaveQuote);
    else record.setUnsplit(buf, start, end);
    record.line = this.line;
    this.line += 1 + embeddedLineBreaks;
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
        let semicolons = 0;
        let commas = 0;
        for (let i = pos; i < end; i++) {
          if (buf[i] === SEMICOLON) semicolons++;
          else if (buf[i] === COMMA) commas++;
        }
        this.delimiter = semicolons > commas ? SEMICOLON : COMMA;
        this.finder.delimiter = this.delimiter;
        return pos;
      }
      if (lf < 0) return -1;
      this.line++;
      pos = lf + 1;
    }
  }

  /** Keeps `buf[from, to)` for the next buffer, up to maxRecordBytes of one record (before the header: all). */
  private appendCarry(buf: Uint8Array, from: number, to: number): void {
    const room = this.delimiter === 0 ? Infinity : this.maxRecordBytes - this.carryLength;
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

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Index of the first `byte` of `buf` from `from` on, or buf.length when there is none. */
export function indexOrLength(buf: Buffer, byte: number, from: number): number {
  const i = buf.indexOf(byte, from);
  return i < 0 ? buf.length : i;
}
