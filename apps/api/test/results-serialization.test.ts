import { describe, expect, it } from '@jest/globals';
import { matchesIfNoneMatch, serializeBody } from '../src/results/serialized-body.js';
import { VariantCache } from '../src/results/variant-cache.js';

describe('serialised bodies', () => {
  it('tags a body with its run and content', () => {
    const a = serializeBody('run1', { x: 1 });
    expect(a.json).toBe('{"x":1}');
    expect(a.etag).toMatch(/^"run1-[A-Za-z0-9_-]{16}"$/);
    expect(serializeBody('run1', { x: 2 }).etag).not.toBe(a.etag);
    expect(serializeBody('run2', { x: 1 }).etag).not.toBe(a.etag);
    expect(serializeBody('run1', { x: 1 }).etag).toBe(a.etag);
  });

  it('matches If-None-Match lists, weak tags and *', () => {
    const tag = '"run1-abc"';
    expect(matchesIfNoneMatch(tag, tag)).toBe(true);
    expect(matchesIfNoneMatch(`"other", W/${tag}`, tag)).toBe(true);
    expect(matchesIfNoneMatch('*', tag)).toBe(true);
    expect(matchesIfNoneMatch('"run1-abd"', tag)).toBe(false);
    expect(matchesIfNoneMatch(undefined, tag)).toBe(false);
    expect(matchesIfNoneMatch('', tag)).toBe(false);
  });
});

describe('VariantCache', () => {
  it('builds a variant once and keeps at most maxEntries, dropping the least recently used', () => {
    const cache = new VariantCache(2);
    let builds = 0;
    const make = (key: string) => () => {
      builds += 1;
      return { json: key, etag: key };
    };
    cache.getOrCreate('a', make('a'));
    cache.getOrCreate('a', make('a'));
    expect(builds).toBe(1);
    cache.getOrCreate('b', make('b'));
    cache.getOrCreate('a', make('a')); // a is now the most recently used
    cache.getOrCreate('c', make('c')); // evicts b
    expect(cache.size).toBe(2);
    expect(builds).toBe(3);
    cache.getOrCreate('a', make('a'));
    expect(builds).toBe(3);
    cache.getOrCreate('b', make('b'));
    expect(builds).toBe(4);
  });
});
