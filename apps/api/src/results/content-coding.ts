// Which compressed form of a body a client takes (Accept-Encoding, negotiated by `negotiator`), and how each
// form is made. Bodies are compressed once per variant and kept (serialized-body.ts), so a request only
// picks bytes already made.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import Negotiator from 'negotiator';

export type ContentCoding = 'br' | 'gzip';

/** Below this, headers outweigh what compression saves. */
export const MIN_COMPRESSED_BYTES = 1024;

/** The codings made, in the server's order of preference; `x-gzip` is gzip under its old name (RFC 9110). */
const AVAILABLE = ['br', 'gzip', 'x-gzip'];

/**
 * The coding to answer with: brotli, else gzip, when the client accepts it (`q` > 0, `*` included); null for
 * none (no header, `identity` only, or both refused). Identity is always acceptable here, so never 406.
 */
export function preferredCoding(acceptEncoding: string | undefined): ContentCoding | null {
  if (acceptEncoding === undefined || acceptEncoding === '') return null;
  const coding = new Negotiator({ headers: { 'accept-encoding': acceptEncoding } }).encoding(AVAILABLE, { preferred: AVAILABLE });
  if (coding === undefined) return null;
  return coding === 'br' ? 'br' : 'gzip';
}

/** A level that compresses JSON well in about a millisecond per 20 KB: bodies are made while requests wait. */
export function compress(bytes: Buffer, coding: ContentCoding): Buffer {
  if (coding === 'br') {
    return brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    });
  }
  return gzipSync(bytes, { level: 6 });
}
