// Re-encodes UTF-8 text as Windows-1252, the code page of Excel's French CSV export (iconv-lite's table:
// Node's own decoder gets bytes 0x80–0x9F wrong).
import { StringDecoder } from 'node:string_decoder';
import { Transform } from 'node:stream';
import iconv from 'iconv-lite';

export function encodeWindows1252(text: string): Buffer {
  return iconv.encode(text, 'windows-1252');
}

/** A byte stream transform: UTF-8 in (characters may be cut between chunks), Windows-1252 out. */
export function windows1252Encoder(): Transform {
  const decoder = new StringDecoder('utf8');
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, encodeWindows1252(decoder.write(chunk)));
    },
    flush(callback) {
      const rest = decoder.end();
      callback(null, rest.length > 0 ? encodeWindows1252(rest) : undefined);
    },
  });
}
