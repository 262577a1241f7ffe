// Bytes of a field to text, in the file's encoding. Windows-1252 goes through iconv-lite: Node's
// TextDecoder maps 0x80–0x9F to C1 controls and so loses `€`, `œ`, `’`, `Š`.
import iconv from 'iconv-lite';
import type { SourceEncoding } from '../types.js';

const utf8 = new TextDecoder('utf-8');

export function decodeBytes(buf: Uint8Array, start: number, end: number, encoding: SourceEncoding): string {
  const bytes = buf.subarray(start, end);
  if (encoding === 'utf-8') return utf8.decode(bytes);
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'win1252');
}
