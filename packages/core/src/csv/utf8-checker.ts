// Tells whether a stream of bytes is valid UTF-8, for the pre-pass that picks the file's encoding.
// buffer.isUtf8 does the work (native, fast); a character cut between two buffers is carried over.
import { isUtf8 } from 'node:buffer';

export class Utf8Checker {
  private valid = true;
  /** Start of a multi-byte character whose remaining bytes are in the next buffer (0–3 bytes). */
  private pending: Uint8Array = new Uint8Array(0);

  /** Feeds the next bytes; returns whether everything so far can still be valid UTF-8. */
  push(bytes: Uint8Array): boolean {
    if (!this.valid || bytes.length === 0) return this.valid;
    let buf = bytes;
    if (this.pending.length > 0) {
      buf = new Uint8Array(this.pending.length + bytes.length);
      buf.set(this.pending);
      buf.set(bytes, this.pending.length);
    }
    const cut = incompleteTailStart(buf);
    // A copy: `bytes` may be a Buffer (whose slice is a view) that the caller reads into again.
    this.pending = Uint8Array.prototype.slice.call(buf, cut);
    this.valid = isUtf8(buf.subarray(0, cut));
    return this.valid;
  }

  /** Whether the whole stream was valid UTF-8 (a character left unfinished at the end is not). */
  end(): boolean {
    if (this.pending.length > 0) this.valid = false;
    return this.valid;
  }
}

/** Where a multi-byte character that the buffer's end cuts short begins; `buf.length` when none is cut. */
function incompleteTailStart(buf: Uint8Array): number {
  const n = buf.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = buf[n - back];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: the lead is further back
    const needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return needed > back ? n - back : n;
  }
  return n;
}
