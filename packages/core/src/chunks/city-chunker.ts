// The orchestrator's splitter: streams the file's bytes into city-chunks (at most chunkRows records of one
// ville each), holding a bounded number of bytes. It only finds record boundaries and reads the ville field;
// all other rules are the map step's.
import { trimEnd, trimStart } from '../csv/field-trim.js';
import { readHeaderLayout } from '../csv/header-layout.js';
import { CR, LF, QUOTE } from '../csv/ascii.js';
import { indexOrLength, RecordScanner, type PlainRunConsumer } from '../csv/record-scanner.js';
import type { ScannedRecord } from '../csv/scanned-record.js';
import { EmptyFileError } from '../errors/empty-file-error.js';
import { NoDataRowsError } from '../errors/no-data-rows-error.js';
import { ValueInterner } from '../metrics/value-interner.js';
import type { HeaderLayout, SourceEncoding } from '../types.js';
import { viewOf } from '../byte-view.js';
import { ChunkWriter, RECORD_HEADER_MAX_BYTES } from './chunk-format.js';

/**
 * Key of the chunks holding records that belong to no city: too few fields to have a ville, quote left open
 * at the end of the file, empty ville. The map step rejects every one of them; no real ville is empty, so
 * no clash. (Other broken records go with the ville they name, and the map step rejects them there.)
 */
export const UNROUTED_CITY_KEY = '';

export interface CityChunk {
  /** The chunk's ville (trimmed, NFC), or UNROUTED_CITY_KEY. */
  cityKey: string;
  rows: number;
  /** In the core's chunk format (see chunk-format.ts). */
  data: Buffer;
}

export interface CityChunkerOptions {
  chunkRows: number;
  encoding: SourceEncoding;
  /** Bound on the bytes held across all unfinished chunks; above it the largest is emitted early. */
  maxBufferedBytes?: number;
}

const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
/** Beyond this many unfinished chunks, going over the buffering bound flushes them all. */
const MAX_PENDING_SEARCHED = 256;
/** Chunk buffers smaller than this are not kept for reuse. */
const MIN_REUSED_BYTES = 64 * 1024;

export class CityChunker implements PlainRunConsumer {
  layout: HeaderLayout | null = null;
  /** Data records read so far (the header and empty lines aside). */
  rowsRead = 0;
  /** See PlainRunConsumer. */
  lineAfterRun = 0;
  private readonly scanner: RecordScanner;
  /** Line breaks inside the quotes of the record takeQuotedRecord took last. */
  private quotedLineBreaks = 0;
  private readonly villes: ValueInterner;
  private readonly chunkRows: number;
  private readonly maxBufferedBytes: number;
  /** Bytes of the records routed so far, to size new chunks for chunkRows records at once. */
  private routedBytes = 0;
  /** Unfinished chunk of each ville id; the unrouted one is kept apart. */
  private readonly pending: (ChunkWriter | undefined)[] = [];
  private unrouted: ChunkWriter | undefined;
  private bufferedBytes = 0;
  private pendingChunks = 0;
  private villeAt = -1;
  /**
   * The file's first column is transaction_id, which no rule reads (free text, optional): a quote-free
   * record is stored with that field emptied, a tenth fewer bytes to copy, ship and keep in Redis. A
   * record holding a quote is stored whole (its first field might hold a quoted line break or delimiter).
   */
  private emptiesFirstField = false;
  private ready: CityChunk[] = [];
  /** Buffers of emitted chunks not yet given back by `release`, and those given back, for reuse. */
  private readonly lent = new Set<ArrayBufferLike>();
  private readonly free: Buffer[] = [];
  private freeBytes = 0;

  constructor(private readonly options: CityChunkerOptions) {
    if (!Number.isInteger(options.chunkRows) || options.chunkRows < 1) throw new RangeError(`chunkRows must be a positive integer, got ${options.chunkRows}`);
    this.chunkRows = options.chunkRows;
    this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.villes = new ValueInterner(options.encoding);
    this.scanner = new RecordScanner((record) => this.take(record), { splitFields: false, plainRuns: this });
  }

  get bytesRead(): number {
    return this.scanner.bytesRead;
  }

  /** Feeds the next bytes of the file; returns the chunks completed by them. */
  push(bytes: Uint8Array): CityChunk[] {
    this.scanner.push(bytes);
    return this.takeReady();
  }

  /**
   * Gives back the bytes of an emitted chunk once nothing reads them any more (stored in Redis, say): a later
   * chunk is written over them instead of into fresh memory, which spares the page faults and garbage
   * collection of hundreds of megabytes of short-lived buffers. Optional; a buffer given back twice, or not
   * emitted by this chunker, is ignored.
   */
  release(data: Buffer): void {
    const buffer = data.buffer;
    if (!this.lent.delete(buffer)) return;
    if (this.freeBytes + buffer.byteLength > this.maxBufferedBytes) return;
    this.free.push(Buffer.from(buffer, 0, buffer.byteLength));
    this.freeBytes += buffer.byteLength;
  }

  /** The end of the file: flushes every unfinished chunk. */
  end(): CityChunk[] {
    this.scanner.end();
    if (this.layout === null) throw new EmptyFileError();
    if (this.rowsRead === 0) throw new NoDataRowsError();
    this.pending.forEach((writer, id) => {
      if (writer !== undefined) this.emit(writer, this.villes.values[id]);
    });
    this.pending.length = 0;
    if (this.unrouted !== undefined) this.emit(this.unrouted, UNROUTED_CITY_KEY);
    this.unrouted = undefined;
    return this.takeReady();
  }

  /**
   * Routes a run of records: quote-free lines in takePlainLines' loop, and in between, a line holding a quote
   * after its ville (a quoted modele, one line in twenty of a real file) through takeQuotedRecord, rather
   * than leave the run for the scanner's slower quote-aware path.
   */
  takePlainRun(buf: Buffer, from: number, limit: number, line: number): number {
    let pos = from;
    if (this.layout !== null) {
      for (;;) {
        pos = this.takePlainLines(buf, pos, limit, line);
        line = this.lineAfterRun;
        // Stopped by a quote before the line's end, or by the buffer's end.
        if (limit >= buf.length) break;
        const recordEnd = this.takeQuotedRecord(buf, pos, limit, line);
        if (recordEnd < 0) break;
        line += 1 + this.quotedLineBreaks;
        pos = recordEnd + 1;
        if (limit < pos) limit = indexOrLength(buf, QUOTE, pos);
      }
    }
    this.lineAfterRun = line;
    return pos;
  }

  /**
   * The splitter's hot loop: routes the quote-free lines of `buf` from `from` whose LF comes before `limit`
   * (nearly every line of a real file) without a call per record, with exactly the outcome `take` has for
   * each of them unsplit — same ville bounds, same stored bytes — and the record appended in place
   * (ChunkWriter.append's encoding, inlined). Returns where it stopped; the line number there goes in
   * `lineAfterRun`. (Apart from takePlainRun, so that the quoted path's code stays out of this loop's.)
   */
  private takePlainLines(buf: Buffer, from: number, limit: number, line: number): number {
    let pos = from;
    const delimiter = this.scanner.delimiter;
    const villeAt = this.villeAt;
    const emptiesFirstField = this.emptiesFirstField;
    const encoding = this.options.encoding;
    const chunkRows = this.chunkRows;
    const source = viewOf(buf);
    // Fields are walked four bytes at a time, as one little-endian word: in `d = word ^ delimiters`,
    // (d - 0x01010101) & ~d & 0x80808080 marks the bytes equal to the delimiter (a byte above a marked one may
    // be marked wrongly, never one below), so its lowest mark is the first delimiter among the four. One
    // branch a word, where a byte loop's exit (fields change length from line to line) was mispredicted.
    const delimiters = Math.imul(delimiter, 0x01010101);
    for (;;) {
      const lf = buf.indexOf(LF, pos);
      if (lf < 0 || lf >= limit) break;
      const end = lf > pos && buf[lf - 1] === CR ? lf - 1 : lf;
      if (end === pos) {
        // An empty line.
        line++;
        pos = lf + 1;
        continue;
      }
      this.rowsRead++;
      // Field `villeAt`'s bounds, and the end of the first field: a record with fewer fields is unrouted.
      let i = pos;
      let fieldStart = pos;
      let firstEnd = pos;
      let villeEnd = -1;
      for (let seen = 0; ; seen++) {
        // To the field's end: the next delimiter, or the line's end.
        for (;;) {
          if (i + 4 > end) {
            while (i < end && buf[i] !== delimiter) i++;
            break;
          }
          const d = source.getInt32(i, true) ^ delimiters;
          const marks = (d - 0x01010101) & ~d & 0x80808080;
          if (marks !== 0) {
            i += (31 - Math.clz32(marks & -marks)) >> 3;
            break;
          }
          i += 4;
        }
        if (seen === 0) firstEnd = i;
        if (seen === villeAt) {
          villeEnd = i;
          break;
        }
        if (i >= end) break;
        i++;
        fieldStart = i;
      }
      let id = -1;
      let start = pos;
      // The bytes left out between the record's two stored parts: its ville's, when it is routed by it.
      let cutStart = end;
      let cutEnd = end;
      if (villeEnd >= 0) {
        // A delimiter precedes the ville: the record keeps it, and its field count, without the id's bytes.
        if (emptiesFirstField) start = firstEnd;
        let s = fieldStart;
        let e = villeEnd;
        if (s < e && !(buf[s] > 0x20 && buf[s] < 0x7f)) s = trimStart(buf, s, e, encoding);
        if (s < e && !(buf[e - 1] > 0x20 && buf[e - 1] < 0x7f)) e = trimEnd(buf, s, e, encoding);
        if (s < e) {
          id = this.villes.internByWords(buf, source, s, e);
          cutStart = fieldStart;
          cutEnd = villeEnd;
          if (this.pending[id] === undefined) this.openWriter(id, buf, s, e);
        }
      }
      const writer = (id < 0 ? this.unrouted : this.pending[id]) ?? this.openWriter(id);
      const length = cutStart - start + (end - cutEnd);
      if (length > 512) {
        this.appendTo(writer, buf, start, cutStart, cutEnd, end, line);
      } else {
        if (writer.byteLength + RECORD_HEADER_MAX_BYTES + length > writer.data.length) writer.grow(writer.byteLength + RECORD_HEADER_MAX_BYTES + length);
        const data = writer.data;
        const view = writer.view;
        const before = writer.byteLength;
        let at = before;
        // ChunkWriter.append's encoding: zigzag varint line delta, varint length.
        const delta = line - writer.lastLine;
        let value = delta >= 0 ? delta * 2 : -delta * 2 - 1;
        writer.lastLine = line;
        while (value >= 0x80) {
          data[at++] = (value & 0x7f) | 0x80;
          value = Math.floor(value / 128);
        }
        data[at++] = value;
        value = length;
        while (value >= 0x80) {
          data[at++] = (value & 0x7f) | 0x80;
          value >>>= 7;
        }
        data[at++] = value;
        let k = start;
        for (const stop = cutStart - 3; k < stop; k += 4) {
          view.setInt32(at, source.getInt32(k, true), true);
          at += 4;
        }
        for (; k < cutStart; k++) data[at++] = buf[k];
        k = cutEnd;
        if (end - k >= 4) {
          // The last one to four bytes as the part's last word, over bytes already written with the same
          // values: no byte loop whose length changes from line to line (a mispredicted exit on most).
          const lastWordAt = at + (end - k) - 4;
          for (const stop = end - 4; k < stop; k += 4) {
            view.setInt32(at, source.getInt32(k, true), true);
            at += 4;
          }
          view.setInt32(lastWordAt, source.getInt32(end - 4, true), true);
          at = lastWordAt + 4;
        } else {
          for (; k < end; k++) data[at++] = buf[k];
        }
        writer.byteLength = at;
        writer.rows++;
        this.bufferedBytes += at - before;
        this.routedBytes += at - before;
      }
      if (writer.rows >= chunkRows) this.flush(id);
      if (this.bufferedBytes > this.maxBufferedBytes) this.flushLargest();
      line++;
      pos = lf + 1;
    }
    this.lineAfterRun = line;
    return pos;
  }

  /**
   * The record starting at `start`, whose first quote is at `quoteAt`, taken as the scanner and `take` would
   * take it (splitQuotedLine, then the branch of `take` for a split record) when that quote comes after the
   * ville: then the fields up to the ville read the same plain as quote-aware, so the ville is found plain and
   * only the rest of the record is read quote-aware, for its end. The record is routed by its trimmed ville
   * (unrouted if blank) and stored whole, ville and first field kept, as `take` stores a record holding a
   * quote. Returns the index of the record's LF, its quoted line breaks in `quotedLineBreaks`; or -1, having
   * done nothing, for a quote before the ville's end or a record running past the buffer: the scanner's path
   * takes it (and carries it over to the next buffer).
   */
  private takeQuotedRecord(buf: Buffer, start: number, quoteAt: number, line: number): number {
    const delimiter = this.scanner.delimiter;
    let i = start;
    let fieldStart = start;
    for (let seen = 0; ; seen++) {
      while (i < quoteAt && buf[i] !== delimiter) i++;
      if (i >= quoteAt) return -1;
      if (seen === this.villeAt) break;
      i++;
      fieldStart = i;
    }
    const villeEnd = i;
    const lf = this.quotedRecordEnd(buf, quoteAt, delimiter);
    if (lf < 0) return -1;
    // The LF is outside quotes, so a CR before it is too: the line end, as the scanner reads it.
    const end = buf[lf - 1] === CR ? lf - 1 : lf;
    this.rowsRead++;
    const encoding = this.options.encoding;
    let s = fieldStart;
    let e = villeEnd;
    if (s < e && !(buf[s] > 0x20 && buf[s] < 0x7f)) s = trimStart(buf, s, e, encoding);
    if (s < e && !(buf[e - 1] > 0x20 && buf[e - 1] < 0x7f)) e = trimEnd(buf, s, e, encoding);
    let id = -1;
    if (s < e) {
      id = this.villes.internByWords(buf, viewOf(buf), s, e);
      if (this.pending[id] === undefined) this.openWriter(id, buf, s, e);
    }
    const writer = (id < 0 ? this.unrouted : this.pending[id]) ?? this.openWriter(id);
    this.appendTo(writer, buf, start, end, end, end, line);
    if (writer.rows >= this.chunkRows) this.flush(id);
    if (this.bufferedBytes > this.maxBufferedBytes) this.flushLargest();
    return lf;
  }

  /**
   * The LF ending a record whose first quote is at `quoteAt` (no LF before it), by RecordEndFinder's rules:
   * a quote opens a quoted field only right after a delimiter (the record's first byte is before `quoteAt`);
   * inside, `""` is a quote, and delimiters and LFs are data; a closing quote returns to plain bytes. Counts
   * the quoted LFs in `quotedLineBreaks`. -1 when `buf` ends first (or on the byte that tells a closing quote
   * from an escaped one).
   */
  private quotedRecordEnd(buf: Buffer, quoteAt: number, delimiter: number): number {
    const n = buf.length;
    let lineBreaks = 0;
    let i = quoteAt;
    for (;;) {
      // At a quote outside quotes.
      if (buf[i - 1] === delimiter) {
        i++;
        for (;;) {
          while (i < n && buf[i] !== QUOTE) {
            if (buf[i] === LF) lineBreaks++;
            i++;
          }
          if (i + 1 >= n) return -1;
          if (buf[i + 1] !== QUOTE) break;
          i += 2;
        }
      }
      i++;
      while (i < n && buf[i] !== LF && buf[i] !== QUOTE) i++;
      if (i >= n) return -1;
      if (buf[i] === LF) {
        this.quotedLineBreaks = lineBreaks;
        return i;
      }
    }
  }

  private take(record: ScannedRecord): void {
    const delimiter = this.scanner.delimiter;
    if (this.layout === null) {
      if (record.unsplit) record.split(record.buf, record.start, record.end, delimiter, false);
      this.layout = readHeaderLayout(record, delimiter, this.options.encoding);
      this.villeAt = this.layout.columns.ville;
      this.emptiesFirstField = this.layout.columns.transaction_id === 0 && this.villeAt > 0;
      return;
    }
    this.rowsRead++;
    // Routed by its ville field when it has one; what else is wrong with it (field count included) is the
    // map step's to find, so a quote-free record is read only as far as its ville.
    let buf: Uint8Array | null = null;
    let start = 0;
    let end = 0;
    let from = record.start;
    // A quote-free record routed by its ville is stored without the ville's bytes (see chunk-format.ts, ACC3).
    let quoteFree = false;
    if (record.unsplit) {
      quoteFree = true;
      if (record.locateField(this.villeAt, delimiter)) {
        buf = record.buf;
        start = record.locatedStart;
        end = record.locatedEnd;
        if (this.emptiesFirstField) {
          // A delimiter precedes the ville: the record keeps it, and its field count, without the id's bytes.
          while (buf[from] !== delimiter) from++;
        }
      }
    } else if (!record.unterminated && record.fieldCount > this.villeAt) {
      buf = record.fieldBuf;
      start = record.fieldStart[this.villeAt];
      end = record.fieldEnd[this.villeAt];
      // Split yet quote-free (its fields are bounds in its own bytes): emptied alike, so the chunk's bytes do
      // not depend on where the file's reads were cut.
      quoteFree = buf === record.buf;
      if (this.emptiesFirstField && quoteFree) from = record.fieldEnd[0];
    }
    let id = -1;
    let cutStart = record.end;
    let cutEnd = record.end;
    if (buf !== null) {
      const encoding = this.options.encoding;
      const fieldStart = start;
      const fieldEnd = end;
      // A printable ASCII byte at an end leaves nothing to trim there (the common case, kept inline).
      if (start < end && !(buf[start] > 0x20 && buf[start] < 0x7f)) start = trimStart(buf, start, end, encoding);
      if (start < end && !(buf[end - 1] > 0x20 && buf[end - 1] < 0x7f)) end = trimEnd(buf, start, end, encoding);
      if (start < end) {
        id = this.villes.intern(buf, start, end);
        if (this.pending[id] === undefined) this.openWriter(id, buf, start, end);
        if (quoteFree) {
          cutStart = fieldStart;
          cutEnd = fieldEnd;
        }
      }
    }
    const writer = (id < 0 ? this.unrouted : this.pending[id]) ?? this.openWriter(id);
    this.appendTo(writer, record.buf, from, cutStart, cutEnd, record.end, record.line);
    if (writer.rows >= this.chunkRows) this.flush(id);
    if (this.bufferedBytes > this.maxBufferedBytes) this.flushLargest();
  }

  /** A new unfinished chunk for ville `id` (-1: the unrouted one), carrying the ville's bytes when it has one. */
  private openWriter(id: number, villeBuf?: Uint8Array, villeStart = 0, villeEnd = 0): ChunkWriter {
    const ville = villeBuf === undefined ? undefined : { buf: villeBuf, start: villeStart, end: villeEnd };
    const writer = this.newWriter(this.chunkCapacity(), ville);
    this.pendingChunks++;
    if (id < 0) this.unrouted = writer;
    else this.pending[id] = writer;
    return writer;
  }

  /** Appends `buf[start, cutStart) · buf[cutEnd, end)` as one record. */
  private appendTo(writer: ChunkWriter, buf: Uint8Array, start: number, cutStart: number, cutEnd: number, end: number, line: number): void {
    const before = writer.byteLength;
    writer.appendParts(buf, start, cutStart, cutEnd, end, line);
    this.bufferedBytes += writer.byteLength - before;
    this.routedBytes += writer.byteLength - before;
  }

  /** Emits the unfinished chunk of ville `id` (-1: the unrouted one). */
  private flush(id: number): void {
    if (id < 0) {
      this.emit(this.unrouted!, UNROUTED_CITY_KEY);
      this.unrouted = undefined;
    } else {
      this.emit(this.pending[id]!, this.villes.values[id]);
      this.pending[id] = undefined;
    }
  }

  /**
   * Room for chunkRows records of the average size seen so far (growing a chunk copies it); with many
   * cities pending, a share of the buffering bound, down to a few records (a chunk still grows if it must).
   */
  private chunkCapacity(): number {
    const averageRecord = this.rowsRead > 1 ? this.routedBytes / (this.rowsRead - 1) : 64;
    const expected = Math.ceil(averageRecord * this.chunkRows * 1.05) + 1024;
    const share = Math.max(Math.ceil(averageRecord * 4) + 64, Math.floor(this.maxBufferedBytes / (this.pendingChunks + 1)));
    return Math.min(expected, share, 16 * 1024 * 1024);
  }

  /**
   * Over the buffering bound: emits the largest unfinished chunk. With very many cities pending (a file
   * whose ville column holds ids, say), searching for the largest each time would be quadratic: then
   * everything pending is emitted at once.
   */
  private flushLargest(): void {
    if (this.pendingChunks > MAX_PENDING_SEARCHED) {
      this.pending.forEach((writer, id) => {
        if (writer !== undefined) this.flush(id);
      });
      if (this.unrouted !== undefined) this.flush(-1);
      return;
    }
    let largest = -1;
    let largestBytes = this.unrouted?.byteLength ?? 0;
    this.pending.forEach((writer, id) => {
      if (writer !== undefined && writer.byteLength > largestBytes) {
        largest = id;
        largestBytes = writer.byteLength;
      }
    });
    if (largest >= 0 || this.unrouted !== undefined) this.flush(largest);
  }

  /** A writer over a given-back buffer when one is large enough (the most recently given back first). */
  private newWriter(capacity: number, ville?: { buf: Uint8Array; start: number; end: number }): ChunkWriter {
    for (let i = this.free.length - 1; i >= 0; i--) {
      const buffer = this.free[i];
      if (buffer.length >= capacity) {
        this.free.splice(i, 1);
        this.freeBytes -= buffer.length;
        return new ChunkWriter(capacity, buffer, ville);
      }
    }
    return new ChunkWriter(capacity, undefined, ville);
  }

  private emit(writer: ChunkWriter, cityKey: string): void {
    this.bufferedBytes -= writer.byteLength;
    this.pendingChunks--;
    const data = writer.finish();
    // A chunk's memory is its own (chunk-format.ts: ownedBuffer), never Node's shared pool, so the whole of it can
    // be written over once given back; only the small ones are not worth keeping.
    if (data.byteOffset === 0 && data.buffer.byteLength >= MIN_REUSED_BYTES) this.lent.add(data.buffer);
    this.ready.push({ cityKey, rows: writer.rows, data });
  }

  private takeReady(): CityChunk[] {
    const ready = this.ready;
    this.ready = [];
    return ready;
  }
}
