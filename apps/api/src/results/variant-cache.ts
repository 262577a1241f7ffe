// A bounded least-recently-used map of serialised bodies, one per (endpoint, options) variant of one run.
import type { SerializedBody } from './serialized-body.js';

export class VariantCache {
  private readonly entries = new Map<string, SerializedBody>();

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  getOrCreate(key: string, create: () => SerializedBody): SerializedBody {
    const found = this.entries.get(key);
    if (found) {
      // Map keeps insertion order: re-inserting marks the entry most recently used.
      this.entries.delete(key);
      this.entries.set(key, found);
      return found;
    }
    const made = create();
    this.entries.set(key, made);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return made;
  }
}
