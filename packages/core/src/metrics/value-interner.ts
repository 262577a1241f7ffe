// Maps the raw bytes of a ville or modele to a small integer id without decoding them: a hash table keyed
// by bytes. Bytes are decoded, trimmed and NFC-normalised only the first time they are seen; byte forms
// that normalise to the same text (NFD vs NFC, say) share one id.
import { decodeBytes } from '../csv/text-decoding.js';
import type { SourceEncoding } from '../types.js';

const EMPTY_SLOT = -1;
/** Probes of one lookup beyond which the sampled hash is given up for a full one. */
const MAX_PROBES = 16;

export class ValueInterner {
  /** Distinct values, by id. */
  readonly values: string[] = [];
  private readonly idOfValue = new Map<string, number>();
  /** Open addressing: slot → entry index, or EMPTY_SLOT. */
  private table = new Int32Array(64).fill(EMPTY_SLOT);
  private entryHash = new Int32Array(32);
  private entryStart = new Int32Array(32);
  private entryLength = new Int32Array(32);
  private entryId = new Int32Array(32);
  private entries = 0;
  /** The bytes of every entry, back to back. */
  private pool = Buffer.alloc(1024);
  private poolLength = 0;
  private hashAllBytes = false;

  constructor(private readonly encoding: SourceEncoding) {}

  /** Id of the value whose (trimmed) bytes are `buf[start, end)`. */
  intern(buf: Uint8Array, start: number, end: number): number {
    const length = end - start;
    const hash = this.hashOf(buf, start, end);
    const mask = this.table.length - 1;
    const pool = this.pool;
    let probes = 0;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.table[slot];
      if (entry === EMPTY_SLOT) return this.add(buf, start, end, hash, slot);
      if (++probes > MAX_PROBES && !this.hashAllBytes) {
        this.switchToFullHash();
        return this.intern(buf, start, end);
      }
      if (this.entryHash[entry] !== hash || this.entryLength[entry] !== length) continue;
      const at = this.entryStart[entry];
      let same = true;
      for (let i = 0; i < length; i++) {
        if (pool[at + i] !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return this.entryId[entry];
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
    for (let entry = 0; entry < this.entries; entry++) {
      const at = this.entryStart[entry];
      this.entryHash[entry] = this.hashOf(this.pool, at, at + this.entryLength[entry]);
    }
    this.rehash(this.table.length);
  }

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
    }
    this.pool.set(buf.subarray(start, end), this.poolLength);
    const entry = this.entries++;
    if (entry === this.entryHash.length) this.growEntries();
    this.entryHash[entry] = hash;
    this.entryStart[entry] = this.poolLength;
    this.entryLength[entry] = length;
    this.entryId[entry] = id;
    this.poolLength += length;
    this.table[slot] = entry;
    if (this.entries * 2 > this.table.length) this.rehash(this.table.length * 2);
    return id;
  }

  private growEntries(): void {
    const grow = (old: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const grown = new Int32Array(old.length * 2);
      grown.set(old);
      return grown;
    };
    this.entryHash = grow(this.entryHash);
    this.entryStart = grow(this.entryStart);
    this.entryLength = grow(this.entryLength);
    this.entryId = grow(this.entryId);
  }

  private rehash(size: number): void {
    const table = new Int32Array(size).fill(EMPTY_SLOT);
    const mask = table.length - 1;
    for (let entry = 0; entry < this.entries; entry++) {
      let slot = this.entryHash[entry] & mask;
      while (table[slot] !== EMPTY_SLOT) slot = (slot + 1) & mask;
      table[slot] = entry;
    }
    this.table = table;
  }
}
