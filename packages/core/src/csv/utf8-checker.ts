// Tells whether a stream of bytes is valid UTF-8, piece by piece as the file is read.
// buffer.isUtf8 does the work (native, fast); a character cut between two pieces is checked on its own.
import { isUtf8 } from 'node:buffer';

export class Utf8Checker {
  private valid = true;
  /** Start of a multi-byte character whose remaining bytes are in the next piece (0–3 bytes). */
  private pending: number[] = [];

  /** Feeds the next bytes; returns whether everything so far can still be valid UTF-8. */
  push(bytes: Uint8Array): boolean {
    if (!this.valid || bytes.length === 0) return this.valid;
    let from = 0;
    if (this.pending.length > 0) {
      // Completes the cut character with the first bytes of this piece and checks it alone: the piece
      // itself is never copied.
      const character = this.pending;
      const length = sequenceLength(character[0]);
      while (character.length < length && from < bytes.length) character.push(bytes[from++]);
      if (character.length < length) return true;
      this.pending = [];
      if (!isUtf8(Uint8Array.from(character))) return (this.valid = false);
    }
    const cut = incompleteTailStart(bytes, from);
    for (let i = cut; i < bytes.length; i++) this.pending.push(bytes[i]);
    this.valid = isUtf8(bytes.subarray(from, cut));
    return this.valid;
  }

  /** Whether the whole stream was valid UTF-8 (a character left unfinished at the end is not). */
  end(): boolean {
    if (this.pending.length > 0) this.valid = false;
    return this.valid;
  }
}

/** How many bytes a character starting with `lead` takes (a byte that cannot start one counts as one: invalid). */
function sequenceLength(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
}

/** Where a multi-byte character that the piece's end cuts short begins (not before `from`); `buf.length` when none is cut. */
function incompleteTailStart(buf: Uint8Array, from: number): number {
  const n = buf.length;
  for (let back = 1; back <= Math.min(3, n - from); back++) {
    const b = buf[n - back];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: the lead is further back
    return sequenceLength(b) > back ? n - back : n;
  }
  return n;
}
