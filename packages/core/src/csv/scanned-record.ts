// One CSV record as byte offsets, and how a complete record's bytes are split into fields (RFC 4180 quoting).
// Reused for every record so the hot loops allocate nothing.
import { CR, LF, QUOTE, SPACE, TAB } from './ascii.js';

// Buffers throughout (never plain Uint8Arrays) keep the byte loads of the hot loops monomorphic.
const NO_BYTES = Buffer.alloc(0);

/**
 * A record handed to a consumer. Its buffers are only valid during the callback that received it: copy what
 * must outlive it.
 */
export class ScannedRecord {
  /** Bytes `start`/`end` refer to. */
  buf: Uint8Array = NO_BYTES;
  /** The record's raw bytes, line end (LF or CRLF) excluded. */
  start = 0;
  end = 0;
  /** 1-based physical line the record starts on. */
  line = 0;
  fieldCount = 0;
  /** Bytes the field bounds refer to: `buf` when no field was quoted, else an unescaped copy. */
  fieldBuf: Uint8Array = NO_BYTES;
  fieldStart = new Int32Array(32);
  fieldEnd = new Int32Array(32);
  /** A quoted field was still open where the record's bytes end (only possible at the end of the file). */
  unterminated = false;
  /**
   * Text other than blanks (space, tab, CR) came after a field's closing quote (`"Clio"x`, or a stray quote
   * that a later one closed): not RFC 4180. Such a record is rejected, every line it spans.
   */
  textAfterQuote = false;
  /**
   * The record is longer than the scanner's record cap (its line end aside): it is not split (no fields), only
   * its lines are counted. See RecordScanner's maxRecordBytes.
   */
  tooLong = false;
  /**
   * Physical lines the record spans: 1 plus the line breaks inside its quotes (a line break that ends the file
   * inside quotes starts no line of its own).
   */
  spannedLines = 1;
  /**
   * The record holds no quote and its fields were not split (a scanner created with `splitFields: false`):
   * call `split` or `locateField` as needed. Records holding a quote always arrive split.
   */
  unsplit = false;
  /** Line breaks inside the quotes of the last record split by `splitQuotedLine`. */
  embeddedLineBreaks = 0;
  /** Bounds found by `locateField`, in `buf`. */
  locatedStart = 0;
  locatedEnd = 0;
  private unescaped = Buffer.alloc(1024);

  /** Splits `buf[start, end)` (one whole record, no line end) into fields. `mayHaveQuote` false skips quote handling. */
  split(buf: Uint8Array, start: number, end: number, delimiter: number, mayHaveQuote: boolean): void {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.unterminated = false;
    this.textAfterQuote = false;
    this.tooLong = false;
    this.unsplit = false;
    if (mayHaveQuote && hasQuote(buf, start, end)) {
      this.splitQuoted(buf, start, end, delimiter);
      return;
    }
    this.fieldBuf = buf;
    let n = 0;
    let fieldStart = start;
    let i = start;
    // Four bytes per turn: the loop's own bookkeeping is a good share of the cost of so simple a body.
    for (const stop = end - 3; i < stop; i += 4) {
      if (buf[i] === delimiter) {
        n = this.addField(n, fieldStart, i);
        fieldStart = i + 1;
      }
      if (buf[i + 1] === delimiter) {
        n = this.addField(n, fieldStart, i + 1);
        fieldStart = i + 2;
      }
      if (buf[i + 2] === delimiter) {
        n = this.addField(n, fieldStart, i + 2);
        fieldStart = i + 3;
      }
      if (buf[i + 3] === delimiter) {
        n = this.addField(n, fieldStart, i + 3);
        fieldStart = i + 4;
      }
    }
    for (; i < end; i++) {
      if (buf[i] === delimiter) {
        n = this.addField(n, fieldStart, i);
        fieldStart = i + 1;
      }
    }
    this.fieldCount = this.addField(n, fieldStart, end);
  }

  private addField(n: number, start: number, end: number): number {
    if (n === this.fieldStart.length) this.growFields();
    this.fieldStart[n] = start;
    this.fieldEnd[n] = end;
    return n + 1;
  }

  /** Takes the bounds of a record longer than the cap: no fields, only its bounds (see `tooLong`). */
  setTooLong(buf: Uint8Array, start: number, end: number): void {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.unterminated = false;
    this.textAfterQuote = false;
    this.tooLong = true;
    this.unsplit = false;
    this.fieldCount = 0;
    this.fieldBuf = buf;
  }

  /** Takes the bounds of a quote-free record without splitting it (see `unsplit`). */
  setUnsplit(buf: Uint8Array, start: number, end: number): void {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.unterminated = false;
    this.textAfterQuote = false;
    this.tooLong = false;
    this.unsplit = true;
    this.fieldCount = 0;
  }

  /**
   * For an unsplit record: the bounds of field `index` alone (into locatedStart/locatedEnd), reading no
   * further than its end. False when the record has fewer fields.
   */
  locateField(index: number, delimiter: number): boolean {
    const buf = this.buf;
    const end = this.end;
    let fieldStart = this.start;
    let seen = 0;
    let i = fieldStart;
    // Four bytes per turn while no delimiter is among them: fields are a few bytes to a few tens.
    for (;;) {
      while (i + 3 < end && buf[i] !== delimiter && buf[i + 1] !== delimiter && buf[i + 2] !== delimiter && buf[i + 3] !== delimiter) i += 4;
      while (i < end && buf[i] !== delimiter) i++;
      if (i >= end) break;
      if (seen === index) {
        this.locatedStart = fieldStart;
        this.locatedEnd = i;
        return true;
      }
      seen++;
      i++;
      fieldStart = i;
    }
    if (seen !== index) return false;
    this.locatedStart = fieldStart;
    this.locatedEnd = end;
    return true;
  }

  /**
   * The scanner's path for a line holding a quote: finds where the record ends (its first LF outside
   * quotes) and splits it, in one pass, by the rules of `splitQuoted`. Returns the LF's index, or -1 when
   * `buf` ends first (the record continues in the next buffer) or the record outgrows the unescape buffer:
   * the caller then takes the two-pass path.
   */
  splitQuotedLine(buf: Uint8Array, start: number, limit: number, delimiter: number): number {
    if (this.unescaped.length < 64 * 1024) this.unescaped = Buffer.alloc(64 * 1024);
    const out = this.unescaped;
    // Unescaping never lengthens, so reading at most out.length bytes never writes past its end.
    const bound = Math.min(limit, start + out.length);
    let w = 0;
    let n = 0;
    let i = start;
    let lineBreaks = 0;
    let textAfterQuote = false;
    for (;;) {
      const fieldOutStart = w;
      let quoted = false;
      if (i < bound && buf[i] === QUOTE) {
        quoted = true;
        i++;
        for (;;) {
          if (i + 1 >= bound) return -1; // at a quote, the next byte tells an escape from the closing quote
          const b = buf[i];
          if (b === QUOTE) {
            if (buf[i + 1] !== QUOTE) {
              i++;
              break;
            }
            i++;
          } else if (b === LF) {
            lineBreaks++;
          }
          out[w++] = b;
          i++;
        }
      }
      while (i < bound) {
        const b = buf[i];
        if (b === delimiter || b === LF) break;
        if (quoted && b !== SPACE && b !== TAB && b !== CR) textAfterQuote = true;
        out[w++] = b;
        i++;
      }
      if (i >= bound) return -1;
      if (n === this.fieldStart.length) this.growFields();
      this.fieldStart[n] = fieldOutStart;
      if (buf[i] === LF) {
        // A CR before the LF ends the line (it was read outside quotes, so it is this field's last byte).
        const crlf = buf[i - 1] === CR;
        this.fieldEnd[n] = crlf ? w - 1 : w;
        this.fieldCount = n + 1;
        this.fieldBuf = out;
        this.buf = buf;
        this.start = start;
        this.end = crlf ? i - 1 : i;
        this.unterminated = false;
        this.textAfterQuote = textAfterQuote;
        this.tooLong = false;
        this.unsplit = false;
        this.embeddedLineBreaks = lineBreaks;
        return i;
      }
      this.fieldEnd[n] = w;
      n++;
      i++; // the delimiter
    }
  }

  /**
   * A `"` opens a quoted field only as a field's first byte; inside, `""` is one `"` and delimiters and line
   * breaks are data. After the closing quote, bytes up to the next delimiter are kept as they are; any but
   * blanks set `textAfterQuote` (the record is then rejected). A `"` inside an unquoted field is a plain byte.
   */
  private splitQuoted(buf: Uint8Array, start: number, end: number, delimiter: number): void {
    if (this.unescaped.length < end - start) this.unescaped = Buffer.alloc(Math.max(end - start, this.unescaped.length * 2));
    const out = this.unescaped;
    let w = 0;
    let n = 0;
    let i = start;
    for (;;) {
      const fieldOutStart = w;
      if (i < end && buf[i] === QUOTE) {
        i++;
        let inQuotes = true;
        while (i < end) {
          const b = buf[i];
          if (inQuotes) {
            if (b === QUOTE) {
              if (i + 1 < end && buf[i + 1] === QUOTE) {
                out[w++] = QUOTE;
                i += 2;
                continue;
              }
              inQuotes = false;
            } else {
              out[w++] = b;
            }
          } else {
            if (b === delimiter) break;
            if (b !== SPACE && b !== TAB && b !== CR) this.textAfterQuote = true;
            out[w++] = b;
          }
          i++;
        }
        if (inQuotes) this.unterminated = true;
      } else {
        while (i < end && buf[i] !== delimiter) out[w++] = buf[i++];
      }
      if (n === this.fieldStart.length) this.growFields();
      this.fieldStart[n] = fieldOutStart;
      this.fieldEnd[n] = w;
      n++;
      if (i >= end) break;
      i++; // the delimiter; a trailing one leaves an empty last field
    }
    this.fieldCount = n;
    this.fieldBuf = out;
  }

  private growFields(): void {
    const starts = new Int32Array(this.fieldStart.length * 2);
    const ends = new Int32Array(this.fieldEnd.length * 2);
    starts.set(this.fieldStart);
    ends.set(this.fieldEnd);
    this.fieldStart = starts;
    this.fieldEnd = ends;
  }
}

function hasQuote(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] === QUOTE) return true;
  return false;
}
