// Numbers pairs of small integers (a ville's id and a modele's, a ville's id and a month's slot) in order of first
// sight, so their counts can live in flat typed arrays: memory in proportion to the pairs that occur, not to
// villes times modeles. Open addressing over an Int32Array; grows at half full.

const EMPTY = -1;

export class PairTable {
  /** The pair of each index. */
  first = new Int32Array(16);
  second = new Int32Array(16);
  count = 0;
  private table = new Int32Array(32).fill(EMPTY);

  /** The index of the pair (a, b), numbered next if new. */
  index(a: number, b: number): number {
    const table = this.table;
    const mask = table.length - 1;
    for (let slot = hash(a, b) & mask; ; slot = (slot + 1) & mask) {
      const at = table[slot];
      if (at === EMPTY) return this.add(a, b, slot);
      if (this.first[at] === a && this.second[at] === b) return at;
    }
  }

  private add(a: number, b: number, slot: number): number {
    const at = this.count++;
    if (at === this.first.length) {
      const first = new Int32Array(at * 2);
      const second = new Int32Array(at * 2);
      first.set(this.first);
      second.set(this.second);
      this.first = first;
      this.second = second;
    }
    this.first[at] = a;
    this.second[at] = b;
    this.table[slot] = at;
    if (this.count * 2 > this.table.length) this.rehash(this.table.length * 2);
    return at;
  }

  private rehash(size: number): void {
    const table = new Int32Array(size).fill(EMPTY);
    const mask = size - 1;
    for (let at = 0; at < this.count; at++) {
      let slot = hash(this.first[at], this.second[at]) & mask;
      while (table[slot] !== EMPTY) slot = (slot + 1) & mask;
      table[slot] = at;
    }
    this.table = table;
  }
}

function hash(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

/** A Float64Array at least `size` long, `array`'s values kept (doubling). */
export function grown(array: Float64Array<ArrayBuffer>, size: number): Float64Array<ArrayBuffer> {
  if (size <= array.length) return array;
  const bigger = new Float64Array(Math.max(size, array.length * 2));
  bigger.set(array);
  return bigger;
}

/**
 * The pair indices grouped by first member (a ville's id), each group in order of first sight: those of ville v
 * are `pairs[start[v]]` up to `pairs[start[v + 1]]`. Two flat arrays, not an array per ville: grouping the pairs
 * of 100,000 villes costs two numbers per pair and one per ville.
 */
export interface PairGroups {
  start: Int32Array;
  pairs: Int32Array;
}

/** Groups the pairs by ville (a counting sort, in time linear in pairs and villes). */
export function groupByVille(table: PairTable, villes: number): PairGroups {
  const start = new Int32Array(villes + 1);
  for (let pair = 0; pair < table.count; pair++) start[table.first[pair] + 1]++;
  for (let ville = 0; ville < villes; ville++) start[ville + 1] += start[ville];
  const next = start.slice(0, villes);
  const pairs = new Int32Array(table.count);
  for (let pair = 0; pair < table.count; pair++) pairs[next[table.first[pair]]++] = pair;
  return { start, pairs };
}

/** One ville's pair indices (a short-lived array, for mapping and sorting). */
export function pairsOf(groups: PairGroups, ville: number): number[] {
  return Array.from(groups.pairs.subarray(groups.start[ville], groups.start[ville + 1]));
}

/** Per (ville, modele) pair: sales, rentals and revenue in cents, in flat arrays grown with the table. */
export class ModelePairCounts {
  readonly pairs = new PairTable();
  ventes = new Float64Array(16);
  locations = new Float64Array(16);
  cents = new Float64Array(16);

  /** The pair's index, its counts made room for. */
  index(ville: number, modele: number): number {
    const pair = this.pairs.index(ville, modele);
    if (pair >= this.cents.length) {
      this.ventes = grown(this.ventes, pair + 1);
      this.locations = grown(this.locations, pair + 1);
      this.cents = grown(this.cents, pair + 1);
    }
    return pair;
  }
}

/** Per (ville, month) pair: revenue in cents and rows, in flat arrays grown with the table. */
export class MonthPairCounts {
  readonly pairs = new PairTable();
  cents = new Float64Array(16);
  rows = new Float64Array(16);

  index(ville: number, month: number): number {
    const pair = this.pairs.index(ville, month);
    if (pair >= this.cents.length) {
      this.cents = grown(this.cents, pair + 1);
      this.rows = grown(this.rows, pair + 1);
    }
    return pair;
  }
}
