// The binary form of a city-chunk, as stored in Redis between the splitter and a map worker:
//   "ACC1" · u32 record count · then per record: u32 line · u32 byte length · the record's raw bytes
// (little-endian; raw = as in the file, quotes included, line end excluded). Raw bytes keep the worker's
// reading identical to a single-process one: it runs the same scanner and validator on them.
import { ChunkFormatError } from '../errors/chunk-format-error.js';

const MAGIC = [0x41, 0x43, 0x43, 0x31];
export const CHUNK_HEADER_BYTES = 8;
export const RECORD_HEADER_BYTES = 8;

/** The DataView of the last source buffer appended from: one per read buffer, not one per record. */
let sourceBytes: Uint8Array | null = null;
let sourceView: DataView = new DataView(new ArrayBuffer(0));

function viewOf(buf: Uint8Array): DataView {
  if (buf !== sourceBytes) {
    sourceBytes = buf;
    sourceView = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  return sourceView;
}

/** Appends records to one chunk. */
export class ChunkWriter {
  rows = 0;
  byteLength = CHUNK_HEADER_BYTES;
  private data: Buffer;
  private view: DataView;

  /** `reuse`: a buffer of a chunk already stored, written over (see CityChunker.release). */
  constructor(initialCapacity = 64 * 1024, reuse?: Buffer) {
    const capacity = Math.max(initialCapacity, CHUNK_HEADER_BYTES);
    this.data = reuse !== undefined && reuse.length >= CHUNK_HEADER_BYTES ? reuse : Buffer.allocUnsafe(capacity);
    this.view = new DataView(this.data.buffer, this.data.byteOffset, this.data.byteLength);
  }

  /** Bytes the chunk can hold before it must grow. */
  get capacity(): number {
    return this.data.length;
  }

  append(buf: Uint8Array, start: number, end: number, line: number): void {
    const length = end - start;
    const needed = this.byteLength + RECORD_HEADER_BYTES + length;
    if (needed > this.data.length) this.grow(needed);
    const view = this.view;
    let at = this.byteLength;
    view.setUint32(at, line, true);
    view.setUint32(at + 4, length, true);
    at += RECORD_HEADER_BYTES;
    if (length <= 512) {
      // Four bytes per turn through DataViews (unaligned reads are fine): a record is tens of bytes, and a
      // `subarray` per record would allocate millions of views, whose garbage costs more than the copies.
      const source = viewOf(buf);
      let i = start;
      for (const stop = end - 3; i < stop; i += 4) {
        view.setInt32(at, source.getInt32(i, true), true);
        at += 4;
      }
      const data = this.data;
      for (; i < end; i++) data[at++] = buf[i];
    } else {
      this.data.set(buf.subarray(start, end), at);
    }
    this.byteLength = needed;
    this.rows++;
  }

  /** The chunk's bytes; the writer must not be used afterwards. */
  finish(): Buffer {
    const data = this.data;
    for (let i = 0; i < MAGIC.length; i++) data[i] = MAGIC[i];
    data.writeUInt32LE(this.rows, 4);
    // A mostly empty buffer is copied so a stored chunk does not pin twice its size in memory.
    return this.byteLength * 2 < data.length ? Buffer.from(data.subarray(0, this.byteLength)) : data.subarray(0, this.byteLength);
  }

  private grow(needed: number): void {
    const grown = Buffer.allocUnsafe(Math.max(needed, this.data.length * 2));
    this.data.copy(grown, 0, 0, this.byteLength);
    this.data = grown;
    this.view = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
  }
}

/** Calls `onRecord(line, start, end)` for each record of a chunk, in order; checks the framing as it goes. */
export function readChunkRecords(data: Uint8Array, onRecord: (line: number, start: number, end: number) => void): number {
  if (data.length < CHUNK_HEADER_BYTES || MAGIC.some((byte, i) => data[i] !== byte)) {
    throw new ChunkFormatError('not a city-chunk (bad magic bytes)');
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const rows = view.getUint32(4, true);
  let at = CHUNK_HEADER_BYTES;
  for (let row = 0; row < rows; row++) {
    if (at + RECORD_HEADER_BYTES > data.length) throw new ChunkFormatError(`city-chunk truncated at record ${row} of ${rows}`);
    const line = view.getUint32(at, true);
    const length = view.getUint32(at + 4, true);
    const start = at + RECORD_HEADER_BYTES;
    const end = start + length;
    if (end > data.length) throw new ChunkFormatError(`city-chunk truncated at record ${row} of ${rows}`);
    onRecord(line, start, end);
    at = end;
  }
  if (at !== data.length) throw new ChunkFormatError(`city-chunk has ${data.length - at} bytes after its ${rows} records`);
  return rows;
}
