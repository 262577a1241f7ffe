// One published run as the API serves it: its results, city lookup, and the bodies already serialised.
import { matchVille } from '@autoconnect/core';
import type { PublishedResults } from '@autoconnect/pipeline';
import { UnknownVilleError } from '../errors/unknown-ville-error.js';
import { SerializedBody } from './serialized-body.js';
import { VariantCache } from './variant-cache.js';

export class ResultsView {
  private readonly variants: VariantCache;
  /**
   * Each endpoint's unfiltered body (no option given), the one most requests ask for: found by the endpoint's
   * name alone, without building a variant key or reordering the LRU on every request. At most one per
   * endpoint, so kept apart from (and on top of) the bounded variants.
   */
  private readonly unfiltered = new Map<string, SerializedBody>();

  constructor(
    readonly published: PublishedResults,
    maxVariants: number,
  ) {
    this.variants = new VariantCache(maxVariants);
  }

  get runId(): string {
    return this.published.runId;
  }

  get results() {
    return this.published.results;
  }

  get cachedVariants(): number {
    return this.variants.size + this.unfiltered.size;
  }

  /** Every city, or the one a filter names (exact, then ignoring case and accents); unknown → 404. */
  villes(filter: string | undefined): string[] {
    if (filter === undefined) return this.results.villes;
    const found = matchVille(this.results.villes, filter);
    if (found === null || found === undefined) throw new UnknownVilleError(filter);
    return [found];
  }

  /** The serialised body of a variant, built by `build` the first time it is asked for. */
  body(endpoint: string, options: ReadonlyArray<string | number | undefined>, build: () => unknown): SerializedBody {
    if (options.every((o) => o === undefined)) {
      let whole = this.unfiltered.get(endpoint);
      if (whole === undefined) {
        whole = new SerializedBody(this.runId, build());
        this.unfiltered.set(endpoint, whole);
      }
      return whole;
    }
    const key = JSON.stringify([endpoint, ...options.map((o) => (o === undefined ? null : o))]);
    return this.variants.getOrCreate(key, () => new SerializedBody(this.runId, build()));
  }
}
