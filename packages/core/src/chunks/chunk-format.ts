// The binary form of a city-chunk, as stored in Redis between the splitter and a map worker:
//   "ACC2" · u32 record count · then per record: varint line delta · varint byte length · the record's raw bytes
// (u32 little-endian; varints are LEB128, 7 bits a byte; the line delta is the zigzag-coded difference from
// the previous record's line, the first record's from 0; raw = as in the file, quotes included, line end
// excluded). Raw bytes keep the worker's reading identical to a single-process one: it runs the same
// validator on them. The two varints are 2–4 bytes where fixed fields took 8: every byte of a chunk crosses
// the network twice and sits in Redis, so they are about a tenth less traffic. Chunks of the earlier form,
// "ACC1" (u32 line · u32 length per record), are still read.
//
// "ACC3" is ACC2 with the chunk's ville after the record count — varint byte length · the ville's bytes as in
// the file, trimmed — for a chunk of one ville: its records may have the ville field emptied (its bytes
// removed, its delimiters kept), and an empty ville there stands for the chunk's. All the records of such a
// chunk name that ville (the splitter routed them by it), so the bytes need not travel once per record: about
// an eighth of a chunk. The unrouted chunk, which has no ville, is ACC2.
import { viewOf } from '../byte-view.js';
import { ChunkFormatError } from '../errors/chunk-format-error.js';

const MAGIC = [0x41, 0x43, 0x43, 0x32];
const MAGIC_V1 = [0x41, 0x43, 0x43, 0x31];
const MAGIC_WITH_VILLE = [0x41, 0x43, 0x43, 0x33];
export const CHUNK_HEADER_BYTES = 8;
/** Most bytes a record's two varints take (5 each for 32-bit values). */
export const RECORD_HEADER_MAX_BYTES = 10;
const RECORD_HEADER_BYTES_V1 = 8;

/**
 * Memory of a chunk's own: never a slice of Node's shared pool, where Buffers under half of Buffer.poolSize
 * (8 KiB on Node 20, 64 KiB on Node 24) live side by side with other small Buffers of the process. A chunk
 * given back (CityChunker.release) is written over whole, which must touch nothing but that chunk.
 */
function ownedBuffer(size: number): Buffer {
  return Buffer.allocUnsafeSlow(size);
}

/** Appends records to one chunk. */
export class ChunkWriter {
  rows = 0;
  byteLength = CHUNK_HEADER_BYTES;
  // Open to the splitter's hot loop (CityChunker.takePlainRun), which appends in place as `append` does.
  /** @internal */ lastLine = 0;
  /** @internal */ data: Buffer;
  /** @internal */ view: DataView;

  /** Whether the chunk carries its ville (ACC3). */
  private readonly withVille: boolean;

  /**
   * `reuse`: a buffer of a chunk already stored, written over (see CityChunker.release). `ville`: the chunk's
   * ville bytes (`ville.buf[ville.start, ville.end)`), for a chunk whose records may have it emptied (ACC3).
   */
  constructor(initialCapacity = 64 * 1024, reuse?: Buffer, ville?: { buf: Uint8Array; start: number; end: number }) {
    const villeBytes = ville === undefined ? 0 : ville.end - ville.start;
    const header = CHUNK_HEADER_BYTES + (ville === undefined ? 0 : RECORD_HEADER_MAX_BYTES + villeBytes);
    const capacity = Math.max(initialCapacity, header);
    this.data = reuse !== undefined && reuse.length >= header ? reuse : ownedBuffer(capacity);
    this.view = new DataView(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    this.withVille = ville !== undefined;
    if (ville !== undefined) {
      let at = CHUNK_HEADER_BYTES;
      let value = villeBytes;
      while (value >= 0x80) {
        this.data[at++] = (value & 0x7f) | 0x80;
        value >>>= 7;
      }
      this.data[at++] = value;
      for (let i = ville.start; i < ville.end; i++) this.data[at++] = ville.buf[i];
      this.byteLength = at;
    }
  }

  /** Bytes the chunk can hold before it must grow. */
  get capacity(): number {
    return this.data.length;
  }

  append(buf: Uint8Array, start: number, end: number, line: number): void {
    this.appendParts(buf, start, end, end, end, line);
  }

  /** Appends `buf[start, cutStart) · buf[cutEnd, end)` as one record (a record with a field's bytes left out). */
  appendParts(buf: Uint8Array, start: number, cutStart: number, cutEnd: number, end: number, line: number): void {
    const length = cutStart - start + (end - cutEnd);
    if (this.byteLength + RECORD_HEADER_MAX_BYTES + length > this.data.length) this.grow(this.byteLength + RECORD_HEADER_MAX_BYTES + length);
    const data = this.data;
    let at = this.byteLength;
    const delta = line - this.lastLine;
    this.lastLine = line;
    // Zigzag, so a record filed out of line order still codes (the splitter's never are).
    let value = delta >= 0 ? delta * 2 : -delta * 2 - 1;
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
    if (length <= 512) {
      // Four bytes per turn through DataViews (unaligned reads are fine): a record is tens of bytes, and a
      // `subarray` per record would allocate millions of views, whose garbage costs more than the copies.
      const view = this.view;
      const source = viewOf(buf);
      let i = start;
      for (const stop = cutStart - 3; i < stop; i += 4) {
        view.setInt32(at, source.getInt32(i, true), true);
        at += 4;
      }
      for (; i < cutStart; i++) data[at++] = buf[i];
      i = cutEnd;
      for (const stop = end - 3; i < stop; i += 4) {
        view.setInt32(at, source.getInt32(i, true), true);
        at += 4;
      }
      for (; i < end; i++) data[at++] = buf[i];
    } else {
      data.set(buf.subarray(start, cutStart), at);
      at += cutStart - start;
      data.set(buf.subarray(cutEnd, end), at);
      at += end - cutEnd;
    }
    this.byteLength = at;
    this.rows++;
  }

  /** The chunk's bytes; the writer must not be used afterwards. */
  finish(): Buffer {
    const data = this.data;
    const magic = this.withVille ? MAGIC_WITH_VILLE : MAGIC;
    for (let i = 0; i < magic.length; i++) data[i] = magic[i];
    data.writeUInt32LE(this.rows, 4);
    // A mostly empty buffer is copied so a stored chunk does not pin twice its size in memory.
    if (this.byteLength * 2 < data.length) {
      const copy = ownedBuffer(this.byteLength);
      data.copy(copy, 0, 0, this.byteLength);
      return copy;
    }
    return data.subarray(0, this.byteLength);
  }

  /** @internal */
  grow(needed: number): void {
    const grown = ownedBuffer(Math.max(needed, this.data.length * 2));
    this.data.copy(grown, 0, 0, this.byteLength);
    this.data = grown;
    this.view = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
  }
}

/** Calls `onRecord(line, start, end)` for each record of a chunk, in order; checks the framing as it goes. */
export function readChunkRecords(data: Uint8Array, onRecord: (line: number, start: number, end: number) => void): number {
  const cursor = new ChunkRecordCursor(data);
  while (cursor.next()) onRecord(cursor.line, cursor.start, cursor.end);
  return cursor.rows;
}

/**
 * Walks a chunk's records without a callback per record (the map step's hot loop): each `next()` moves to
 * the next record (its `line`, `start`, `end`), false after the last. Checks the framing as it goes and
 * throws ChunkFormatError where the chunk is broken, after the records before that point.
 */
export class ChunkRecordCursor {
  /** The record count the chunk's header gives. */
  readonly rows: number;
  line = 0;
  start = CHUNK_HEADER_BYTES;
  /** Where the next record's framing starts. */
  end = CHUNK_HEADER_BYTES;
  /**
   * The chunk's ville bytes, `data[villeStart, villeEnd)`, when it carries one (ACC3): an empty ville field in
   * its records stands for it. Both -1 otherwise.
   */
  readonly villeStart: number = -1;
  readonly villeEnd: number = -1;
  private readonly data: Uint8Array;
  private readonly v1: DataView | null;
  private row = 0;

  constructor(data: Uint8Array) {
    if (data.length < CHUNK_HEADER_BYTES) throw new ChunkFormatError('not a city-chunk (bad magic bytes)');
    this.data = data;
    this.v1 = null;
    if (MAGIC_V1.every((byte, i) => data[i] === byte)) {
      this.v1 = new DataView(data.buffer, data.byteOffset, data.byteLength);
    } else if (MAGIC_WITH_VILLE.every((byte, i) => data[i] === byte)) {
      let at = CHUNK_HEADER_BYTES;
      let b = at < data.length ? data[at++] : 0x100;
      let length = b & 0x7f;
      for (let scale = 128; b >= 0x80; scale *= 128) {
        if (b > 0xff || scale > 2 ** 28) break;
        b = at < data.length ? data[at++] : 0x100;
        length += (b & 0x7f) * scale;
      }
      if (b > 0xff || length === 0 || at + length > data.length) throw new ChunkFormatError('city-chunk truncated in its ville');
      this.villeStart = at;
      this.villeEnd = at + length;
      this.start = this.villeEnd;
      this.end = this.villeEnd;
    } else if (MAGIC.some((byte, i) => data[i] !== byte)) {
      throw new ChunkFormatError('not a city-chunk (bad magic bytes)');
    }
    this.rows = (data[4] | (data[5] << 8) | (data[6] << 16) | (data[7] << 24)) >>> 0;
  }

  next(): boolean {
    const data = this.data;
    const n = data.length;
    const rows = this.rows;
    const row = this.row;
    let at = this.end;
    if (row >= rows) {
      if (at !== n) throw new ChunkFormatError(`city-chunk has ${n - at} bytes after its ${rows} records`);
      return false;
    }
    if (this.v1 !== null) return this.nextV1(at);
    if (at + 2 <= n) {
      // Both varints one byte each (a line delta under 64, a record under 128 bytes): nearly every record.
      const delta = data[at];
      const length = data[at + 1];
      if ((delta | length) < 0x80 && at + 2 + length <= n) {
        this.line += (delta & 1) === 0 ? delta >> 1 : -((delta + 1) >> 1);
        this.start = at + 2;
        this.end = at + 2 + length;
        this.row = row + 1;
        return true;
      }
    }
    // Two LEB128 varints; a value over 2^35 or one running past the end is a broken chunk.
    let b = at < n ? data[at++] : 0x100;
    let zigzag = b & 0x7f;
    for (let scale = 128; b >= 0x80; scale *= 128) {
      if (b > 0xff || scale > 2 ** 28) throw new ChunkFormatError(`city-chunk truncated at record ${row} of ${rows}`);
      b = at < n ? data[at++] : 0x100;
      zigzag += (b & 0x7f) * scale;
    }
    b = at < n ? data[at++] : 0x100;
    let length = b & 0x7f;
    for (let scale = 128; b >= 0x80; scale *= 128) {
      if (b > 0xff || scale > 2 ** 28) throw new ChunkFormatError(`city-chunk truncated at record ${row} of ${rows}`);
      b = at < n ? data[at++] : 0x100;
      length += (b & 0x7f) * scale;
    }
    if (b > 0xff) throw new ChunkFormatError(`city-chunk truncated at record ${row} of ${rows}`);
    const end = at + length;
    if (end > n) throw new ChunkFormatError(`city-chunk truncated at record ${row} of ${rows}`);
    this.line += zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
    this.start = at;
    this.end = end;
    this.row = row + 1;
    return true;
  }

  /** The earlier form: u32 line · u32 length per record. */
  private nextV1(at: number): boolean {
    const view = this.v1!;
    const row = this.row;
    if (at + RECORD_HEADER_BYTES_V1 > this.data.length) throw new ChunkFormatError(`city-chunk truncated at record ${row} of ${this.rows}`);
    const line = view.getUint32(at, true);
    const length = view.getUint32(at + 4, true);
    const start = at + RECORD_HEADER_BYTES_V1;
    const end = start + length;
    if (end > this.data.length) throw new ChunkFormatError(`city-chunk truncated at record ${row} of ${this.rows}`);
    this.line = line;
    this.start = start;
    this.end = end;
    this.row = row + 1;
    return true;
  }
}
