// Maps the raw bytes of a ville or modele to a small integer id without decoding them: a hash table keyed
// by bytes. Bytes are decoded, trimmed and NFC-normalised only the first time they are seen; byte forms
// that normalise to the same text (NFD vs NFC, say) share one id.
import { decodeBytes } from '../csv/text-decoding.js';
import type { SourceEncoding } from '../types.js';

const EMPTY_SLOT = -1;
/** Probes of one lookup beyond which the sampled hash is given up for a full one. */
const MAX_PROBES = 16;
/** An entry is 4 ints in `entries`: hash, start in the pool, byte length, id. */
const ENTRY_INTS = 4;
/**
 * Slots of the cache in front of the table for values of 4 to 16 bytes (see internByWords): a power of two,
 * from a few (a ville's modeles: a run may have tens of thousands of villes, each with its interner) up to 256.
 */
const FIRST_WORD_CACHE_BITS = 4;
const MAX_WORD_CACHE_BITS = 8;

export class ValueInterner {
  /** Distinct values, by id. */
  readonly values: string[] = [];
  private readonly idOfValue = new Map<string, number>();
  /** Open addressing: slot → entry offset in `entries`, or EMPTY_SLOT. */
  // Small to start with: tables grow with the values they hold.
  private table = new Int32Array(8).fill(EMPTY_SLOT);
  private entries = new Int32Array(4 * ENTRY_INTS);
  private entryCount = 0;
  /** The bytes of every entry, back to back. */
  private pool = Buffer.alloc(64);
  private poolLength = 0;
  private hashAllBytes = false;
  /** Entry found last by `internRepeated`, -1 before. */
  private lastEntry = -1;
  /** `pool`'s bytes as a DataView, for internByWords. */
  private poolView = new DataView(this.pool.buffer, this.pool.byteOffset, this.pool.byteLength);
  /** Entry last found by internByWords for each slot (a hash of a value's length and end words), or EMPTY_SLOT. */
  private wordCache = new Int32Array(1 << FIRST_WORD_CACHE_BITS).fill(EMPTY_SLOT);
  /** 32 minus the cache's bits: the slot is the top bits of the hash. */
  private wordShift = 32 - FIRST_WORD_CACHE_BITS;

  constructor(private readonly encoding: SourceEncoding) {}

  /** Id of the value whose (trimmed) bytes are `buf[start, end)`. */
  intern(buf: Uint8Array, start: number, end: number): number {
    const entry = this.findEntry(buf, start, end);
    return this.entries[entry + 3];
  }

  /**
   * `intern`, comparing first with the bytes this method found last: the rows of a range nearly all
   * name one ville, and one comparison is cheaper than hashing and probing.
   */
  internRepeated(buf: Uint8Array, start: number, end: number): number {
    const last = this.lastEntry;
    if (last >= 0 && this.entries[last + 2] === end - start) {
      const pool = this.pool;
      let a = this.entries[last + 1];
      let b = start;
      while (b < end && pool[a] === buf[b]) {
        a++;
        b++;
      }
      if (b === end) return this.entries[last + 3];
    }
    const entry = this.findEntry(buf, start, end);
    this.lastEntry = entry;
    return this.entries[entry + 3];
  }

  /**
   * `intern` for `buf` read through `view` (a DataView of the same bytes): a value of 4 to 16 bytes (a ville
   * name, say) is compared four bytes at a time, at most four words that cover it, with the entry its length
   * and first and last words last led to; only if that is not it is the table searched (and the slot set to
   * the entry found). Few loads and no loop: the splitter interns a ville on every line.
   */
  internByWords(buf: Uint8Array, view: DataView, start: number, end: number): number {
    const length = end - start;
    if (length < 4 || length > 16) return this.intern(buf, start, end);
    const first = view.getInt32(start, true);
    const last = view.getInt32(end - 4, true);
    const slot = Math.imul(first ^ Math.imul(last, 0x9e3779b1) ^ length, 0x85ebca6b) >>> this.wordShift;
    const entry = this.wordCache[slot];
    if (entry !== EMPTY_SLOT && this.entries[entry + 2] === length) {
      const at = this.entries[entry + 1];
      const pool = this.poolView;
      // Words at 0 and length - 4 cover up to 8 bytes; with those at 4 and length - 8, up to 16.
      if (
        pool.getInt32(at, true) === first &&
        pool.getInt32(at + length - 4, true) === last &&
        (length <= 8 || (pool.getInt32(at + 4, true) === view.getInt32(start + 4, true) && pool.getInt32(at + length - 8, true) === view.getInt32(end - 8, true)))
      ) {
        return this.entries[entry + 3];
      }
    }
    const found = this.findEntry(buf, start, end);
    this.wordCache[slot] = found;
    return this.entries[found + 3];
  }

  /** Offset in `entries` of the entry of `buf[start, end)`, added if new. */
  private findEntry(buf: Uint8Array, start: number, end: number): number {
    const length = end - start;
    const hash = this.hashOf(buf, start, end);
    const table = this.table;
    const entries = this.entries;
    const pool = this.pool;
    const mask = table.length - 1;
    let probes = 0;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot];
      if (entry === EMPTY_SLOT) return this.add(buf, start, end, hash, slot);
      if (entries[entry] === hash && entries[entry + 2] === length) {
        // Four bytes per turn: on a hit (nearly every lookup) every byte is compared.
        let a = entries[entry + 1];
        let b = start;
        const stop = end - 3;
        while (b < stop && pool[a] === buf[b] && pool[a + 1] === buf[b + 1] && pool[a + 2] === buf[b + 2] && pool[a + 3] === buf[b + 3]) {
          a += 4;
          b += 4;
        }
        if (b >= stop) {
          while (b < end && pool[a] === buf[b]) {
            a++;
            b++;
          }
        }
        if (b === end) return entry;
      }
      if (++probes > MAX_PROBES && !this.hashAllBytes) {
        this.switchToFullHash();
        return this.findEntry(buf, start, end);
      }
    }
  }

  /**
   * Hashes the length and five sampled bytes: enough to tell ville and modele names apart, and far cheaper
   * than reading every byte. Values built to collide on those samples make probe chains long; then every
   * byte is hashed from there on.
   */
  private hashOf(buf: Uint8Array, start: number, end: number): number {
    const length = end - start;
    let hash = Math.imul(0x811c9dc5 ^ length, 0x01000193);
    if (this.hashAllBytes) {
      for (let i = start; i < end; i++) hash = Math.imul(hash ^ buf[i], 0x01000193);
    } else if (length > 0) {
      hash = Math.imul(hash ^ buf[start], 0x01000193);
      hash = Math.imul(hash ^ buf[end - 1], 0x01000193);
      hash = Math.imul(hash ^ buf[start + (length >> 1)], 0x01000193);
      hash = Math.imul(hash ^ buf[start + (length >> 2)], 0x01000193);
      hash = Math.imul(hash ^ buf[end - 1 - (length >> 2)], 0x01000193);
    }
    // FNV's low bits see only the low bits of the input; the table index is taken from the low bits.
    hash ^= hash >>> 16;
    hash = Math.imul(hash, 0x45d9f3b);
    return hash ^ (hash >>> 16);
  }

  private switchToFullHash(): void {
    this.hashAllBytes = true;
    for (let entry = 0; entry < this.entryCount * ENTRY_INTS; entry += ENTRY_INTS) {
      const at = this.entries[entry + 1];
      this.entries[entry] = this.hashOf(this.pool, at, at + this.entries[entry + 2]);
    }
    this.rehash(this.table.length);
  }

  /** Adds the entry of a value not seen in these bytes yet; returns its offset in `entries`. */
  private add(buf: Uint8Array, start: number, end: number, hash: number, slot: number): number {
    const value = decodeBytes(buf, start, end, this.encoding).trim().normalize('NFC');
    let id = this.idOfValue.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.idOfValue.set(value, id);
    }
    const length = end - start;
    if (this.poolLength + length > this.pool.length) {
      const pool = Buffer.alloc(Math.max(this.pool.length * 2, this.poolLength + length));
      pool.set(this.pool.subarray(0, this.poolLength));
      this.pool = pool;
      this.poolView = new DataView(pool.buffer, pool.byteOffset, pool.byteLength);
    }
    this.pool.set(buf.subarray(start, end), this.poolLength);
    const entry = this.entryCount++ * ENTRY_INTS;
    if (entry === this.entries.length) {
      const grown = new Int32Array(this.entries.length * 2);
      grown.set(this.entries);
      this.entries = grown;
    }
    this.entries[entry] = hash;
    this.entries[entry + 1] = this.poolLength;
    this.entries[entry + 2] = length;
    this.entries[entry + 3] = id;
    this.poolLength += length;
    this.table[slot] = entry;
    if (this.entryCount * 2 > this.table.length) this.rehash(this.table.length * 2);
    // A larger cache once it holds more values than half its slots (emptied: it is only a cache).
    if (this.entryCount * 2 > this.wordCache.length && this.wordShift > 32 - MAX_WORD_CACHE_BITS) {
      this.wordShift--;
      this.wordCache = new Int32Array(1 << (32 - this.wordShift)).fill(EMPTY_SLOT);
    }
    return entry;
  }

  private rehash(size: number): void {
    const table = new Int32Array(size).fill(EMPTY_SLOT);
    const mask = size - 1;
    for (let entry = 0; entry < this.entryCount * ENTRY_INTS; entry += ENTRY_INTS) {
      let slot = this.entries[entry] & mask;
      while (table[slot] !== EMPTY_SLOT) slot = (slot + 1) & mask;
      table[slot] = entry;
    }
    this.table = table;
  }
}
