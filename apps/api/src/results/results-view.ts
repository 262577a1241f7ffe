// One published run as the API serves it: its results, city lookup, and the bodies already serialised.
import { LRUCache } from 'lru-cache';
import { matchVille } from '@autoconnect/core';
import type { PublishedResults } from '@autoconnect/pipeline';
import { UnknownVilleError } from '../errors/unknown-ville-error.js';
import { SerializedBody } from './serialized-body.js';

export class ResultsView {
  /** One serialised body per (endpoint, options) variant, least recently used dropped first. */
  private readonly variants: LRUCache<string, SerializedBody>;

  constructor(
    readonly published: PublishedResults,
    maxVariants: number,
  ) {
    this.variants = new LRUCache({ max: maxVariants });
  }

  get runId(): string {
    return this.published.runId;
  }

  get results() {
    return this.published.results;
  }

  get cachedVariants(): number {
    return this.variants.size;
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
    // The unfiltered body, the one most requests ask for, is keyed by the endpoint's name alone.
    const key = options.every((o) => o === undefined) ? endpoint : JSON.stringify([endpoint, ...options.map((o) => (o === undefined ? null : o))]);
    let body = this.variants.get(key);
    if (body === undefined) {
      body = new SerializedBody(this.runId, build());
      this.variants.set(key, body);
    }
    return body;
  }
}
