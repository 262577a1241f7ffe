// JavaScript trim() on raw bytes, so fields are trimmed without being decoded. The whitespace set is
// ECMAScript's (WhiteSpace + LineTerminator): ASCII 09–0D and 20, then U+00A0, U+1680, U+2000–U+200A,
// U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF — in Windows-1252 only 0xA0 of those exists.
import type { SourceEncoding } from '../types.js';

/** First byte after leading whitespace of `buf[start, end)`. */
export function trimStart(buf: Uint8Array, start: number, end: number, encoding: SourceEncoding): number {
  let s = start;
  while (s < end) {
    const b = buf[s];
    if (b === 0x20 || (b >= 0x09 && b <= 0x0d)) {
      s++;
    } else if (b < 0x80) {
      return s;
    } else if (encoding === 'windows-1252') {
      if (b !== 0xa0) return s;
      s++;
    } else {
      const length = utf8WhitespaceLength(buf, s, end);
      if (length === 0) return s;
      s += length;
    }
  }
  return s;
}

/** End (exclusive) of `buf[start, end)` without its trailing whitespace. */
export function trimEnd(buf: Uint8Array, start: number, end: number, encoding: SourceEncoding): number {
  let e = end;
  while (e > start) {
    const b = buf[e - 1];
    if (b === 0x20 || (b >= 0x09 && b <= 0x0d)) {
      e--;
    } else if (b < 0x80) {
      return e;
    } else if (encoding === 'windows-1252') {
      if (b !== 0xa0) return e;
      e--;
    } else if (e - 2 >= start && buf[e - 2] === 0xc2 && b === 0xa0) {
      e -= 2;
    } else if (e - 3 >= start && utf8WhitespaceLength(buf, e - 3, e) === 3) {
      e -= 3;
    } else {
      return e;
    }
  }
  return e;
}

/** Length of the UTF-8 whitespace character at `i` (2 or 3 bytes), 0 if there is none. */
function utf8WhitespaceLength(buf: Uint8Array, i: number, end: number): number {
  const b0 = buf[i];
  if (b0 === 0xc2) return i + 1 < end && buf[i + 1] === 0xa0 ? 2 : 0;
  if (i + 2 >= end) return 0;
  const b1 = buf[i + 1];
  const b2 = buf[i + 2];
  switch (b0) {
    case 0xe1: // U+1680
      return b1 === 0x9a && b2 === 0x80 ? 3 : 0;
    case 0xe2: // U+2000–U+200A, U+2028, U+2029, U+202F, U+205F
      if (b1 === 0x80) return (b2 >= 0x80 && b2 <= 0x8a) || b2 === 0xa8 || b2 === 0xa9 || b2 === 0xaf ? 3 : 0;
      return b1 === 0x81 && b2 === 0x9f ? 3 : 0;
    case 0xe3: // U+3000
      return b1 === 0x80 && b2 === 0x80 ? 3 : 0;
    case 0xef: // U+FEFF
      return b1 === 0xbb && b2 === 0xbf ? 3 : 0;
    default:
      return 0;
  }
}
