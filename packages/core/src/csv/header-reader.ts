// Reads the header of a file from its first bytes and nothing after it: where the data starts, the delimiter,
// and which field holds which column. The orchestrator plans a run from it without reading any record.
import { isAscii, isUtf8 } from 'node:buffer';
import { EmptyFileError } from '../errors/empty-file-error.js';
import { HeaderTooLongError } from '../errors/header-too-long-error.js';
import { InputError } from '../errors/input-error.js';
import { UnsupportedEncodingError } from '../errors/unsupported-encoding-error.js';
import type { HeaderLayout, SourceEncoding, TextKind } from '../types.js';
import { CR, LF } from './ascii.js';
import { readHeaderLayout } from './header-layout.js';
import { RecordEndFinder } from './record-end-finder.js';
import { headerDelimiter } from './record-scanner.js';
import { ScannedRecord } from './scanned-record.js';

/** Bytes allowed before the header's line end. */
export const MAX_HEADER_BYTES = 1024 * 1024;

const BOM = [0xef, 0xbb, 0xbf];

/** The layout the header gives when the file reads as an encoding, or why it cannot be read so. */
export type LayoutOutcome = { layout: HeaderLayout } | { error: string };

export interface FileHeader {
  /** Offset of the first byte after the header's line end: where the data records start. */
  dataStart: number;
  /** Line ends (LF) before dataStart: the physical line number of dataStart is this plus one. */
  linesBefore: number;
  /** What the header's bytes (a BOM aside) are: pure ASCII (reads the same in both encodings), valid UTF-8, or neither. */
  text: TextKind;
  /** The layout as each encoding reads the header (the same when it is ASCII). */
  layouts: Record<SourceEncoding, LayoutOutcome>;
}

/**
 * The header of a file whose first bytes are `bytes` (`atEnd`: they are the whole file). Null when more bytes
 * are needed to see the header's end. Throws EmptyFileError (no non-empty line), HeaderTooLongError (no line
 * end within MAX_HEADER_BYTES) and UnsupportedEncodingError (a UTF-16 byte order mark); a header missing a
 * required column is reported per encoding in `layouts`.
 */
export function readFileHeader(bytes: Uint8Array, atEnd: boolean, maxHeaderBytes = MAX_HEADER_BYTES): FileHeader | null {
  // A spreadsheet's "Unicode text" export: every other byte NUL, which would read as a header of nonsense.
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new UnsupportedEncodingError(bytes[0] === 0xff ? 'UTF-16 little-endian' : 'UTF-16 big-endian');
  }
  let pos = 0;
  if (bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2]) pos = 3;
  else if (!atEnd && bytes.length < 3 && BOM.slice(0, bytes.length).every((b, i) => bytes[i] === b)) return null;
  // Empty lines before the header; the delimiter comes from the header's first physical line, as the readers
  // take it.
  let firstLineEnd: number;
  for (;;) {
    const lf = bytes.indexOf(LF, pos);
    const lineEnd = lf < 0 ? bytes.length : lf;
    if (lf < 0 && !atEnd) {
      if (bytes.length - pos > maxHeaderBytes) throw new HeaderTooLongError(maxHeaderBytes);
      return null;
    }
    firstLineEnd = lineEnd > pos && bytes[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
    if (firstLineEnd > pos) break;
    if (lf < 0) throw new EmptyFileError();
    pos = lf + 1;
  }
  const start = pos;
  const delimiter = headerDelimiter(bytes, start, firstLineEnd);
  const finder = new RecordEndFinder(delimiter);
  const lf = finder.scan(bytes, start, bytes.length);
  if (lf < 0 && !atEnd) {
    if (bytes.length - start > maxHeaderBytes) throw new HeaderTooLongError(maxHeaderBytes);
    return null;
  }
  const lineEnd = lf < 0 ? bytes.length : lf;
  const end = lf >= 0 && lineEnd > start && bytes[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
  if (end - start > maxHeaderBytes) throw new HeaderTooLongError(maxHeaderBytes);
  const dataStart = lf < 0 ? bytes.length : lf + 1;
  let linesBefore = 0;
  for (let i = bytes.indexOf(LF); i >= 0 && i < dataStart; i = bytes.indexOf(LF, i + 1)) linesBefore++;

  // The BOM is skipped in either encoding: what the header's own bytes are decides.
  const headerBytes = bytes.subarray(start, dataStart);
  const text: TextKind = isAscii(headerBytes) ? 'ascii' : isUtf8(headerBytes) ? 'utf-8' : 'windows-1252';
  const record = new ScannedRecord();
  const layoutAs = (encoding: SourceEncoding): LayoutOutcome => {
    record.split(bytes, start, end, delimiter, true);
    record.line = 1 + countLf(bytes, 0, start);
    try {
      return { layout: readHeaderLayout(record, delimiter, encoding) };
    } catch (err) {
      if (err instanceof InputError) return { error: err.message };
      throw err;
    }
  };
  const latin = layoutAs('windows-1252');
  const layouts: Record<SourceEncoding, LayoutOutcome> = { 'windows-1252': latin, 'utf-8': text === 'ascii' ? latin : layoutAs('utf-8') };
  return { dataStart, linesBefore, text, layouts };
}

function countLf(bytes: Uint8Array, from: number, to: number): number {
  let count = 0;
  for (let i = bytes.indexOf(LF, from); i >= 0 && i < to; i = bytes.indexOf(LF, i + 1)) count++;
  return count;
}
