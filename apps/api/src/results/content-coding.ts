// Which compressed form of a body a client takes (Accept-Encoding), and how each form is made. Bodies are
// compressed once per variant and kept, so a request only picks bytes already made.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export type ContentCoding = 'br' | 'gzip';

/** Below this, headers outweigh what compression saves. */
export const MIN_COMPRESSED_BYTES = 1024;

/**
 * The coding to answer with: brotli, else gzip, when the client accepts it (`q` > 0, `*` included); null for
 * none (no header, `identity` only, or both refused). Identity is always acceptable here, so never 406.
 */
export function preferredCoding(acceptEncoding: string | undefined): ContentCoding | null {
  if (acceptEncoding === undefined || acceptEncoding === '') return null;
  let br: number | undefined;
  let gzip: number | undefined;
  let any: number | undefined;
  for (const item of acceptEncoding.split(',')) {
    const [rawName, ...params] = item.split(';');
    const name = rawName.trim().toLowerCase();
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=');
      if (key.trim().toLowerCase() === 'q') q = Number(value);
    }
    if (!(q >= 0 && q <= 1)) continue;
    if (name === 'br') br = q;
    else if (name === 'gzip' || name === 'x-gzip') gzip = q;
    else if (name === '*') any = q;
  }
  br ??= any;
  gzip ??= any;
  if (br !== undefined && br > 0 && br >= (gzip ?? 0)) return 'br';
  if (gzip !== undefined && gzip > 0) return 'gzip';
  return null;
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
