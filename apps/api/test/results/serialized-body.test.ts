import { describe, expect, it } from '@jest/globals';
import { SerializedBody } from '../../src/results/serialized-body.js';
import { ResultsView } from '../../src/results/results-view.js';
import type { PublishedResults } from '@autoconnect/pipeline';

describe('serialised bodies', () => {
  it('tags a body with its run and content', () => {
    const a = new SerializedBody('run1', { x: 1 });
    expect(a.bytes.toString('utf8')).toBe('{"x":1}');
    expect(a.etag).toMatch(/^"run1-[A-Za-z0-9_-]{16}"$/);
    expect(new SerializedBody('run1', { x: 2 }).etag).not.toBe(a.etag);
    expect(new SerializedBody('run2', { x: 1 }).etag).not.toBe(a.etag);
    expect(new SerializedBody('run1', { x: 1 }).etag).toBe(a.etag);
  });

  it('encodes the JSON as UTF-8 once and states its byte length', () => {
    const body = new SerializedBody('run1', { 'Saint-Étienne': { '2023-01': 1.5 } });
    const json = '{"Saint-Étienne":{"2023-01":1.5}}';
    expect(body.bytes.equals(Buffer.from(json, 'utf8'))).toBe(true);
    expect(body.identity.ok['content-length']).toBe(String(Buffer.byteLength(json)));
    expect(body.identity.ok['content-length']).not.toBe(String(json.length));
    expect(body.identity.ok).toMatchObject({ 'x-run-id': 'run1', etag: body.etag, 'content-type': 'application/json; charset=utf-8' });
    expect(body.identity.notModified['content-length']).toBeUndefined();
  });

  it('matches If-None-Match lists, weak tags and *', () => {
    const body = new SerializedBody('run1', { x: 1 });
    const tag = body.etag;
    expect(body.matches(tag)).toBe(true);
    expect(body.matches(`"other", W/${tag}`)).toBe(true);
    expect(body.matches('*')).toBe(true);
    expect(body.matches(tag.replace('run1', 'run2'))).toBe(false);
    expect(body.matches(`${tag.slice(0, -2)}"`)).toBe(false);
    expect(body.matches(undefined)).toBe(false);
    expect(body.matches('')).toBe(false);
    // The compressed forms' tags name the same JSON, whether this process made those forms or not.
    expect(body.matches(`${tag.slice(0, -1)}-br"`)).toBe(true);
    expect(body.matches(`${tag.slice(0, -1)}-gzip"`)).toBe(true);
    expect(body.matches(`${tag.slice(0, -1)}-zstd"`)).toBe(false);
  });
});

describe('ResultsView', () => {
  const published: PublishedResults = {
    runId: 'run1',
    publishedAt: '2024-01-01T00:00:00.000Z',
    results: {
      villes: ['Lyon', 'Paris'],
      ca_mensuel: { Lyon: { '2023-01': 1.5 }, Paris: { '2023-01': 2 } },
      repartition: { Lyon: { vente: 1, location: 0 }, Paris: { vente: 0, location: 1 } },
      top_modeles: { Lyon: [], Paris: [] },
      rows_valid: 2,
      rows_rejected: 0,
    },
  };

  it('builds each variant once, each endpoint its own, and keeps at most maxVariants, least recently used dropped first', () => {
    const view = new ResultsView(published, 2);
    let builds = 0;
    const build = (value: unknown) => () => {
      builds += 1;
      return value;
    };
    const whole = view.body('ca-mensuel', [undefined, undefined], build({ whole: true }));
    expect(view.body('ca-mensuel', [undefined, undefined], build({ whole: false }))).toBe(whole);
    expect(whole.bytes.toString('utf8')).toBe('{"whole":true}');
    expect(builds).toBe(1);
    // Another endpoint's unfiltered body is its own, not the first one's.
    expect(view.body('villes', [], build({ villes: [] })).bytes.toString('utf8')).toBe('{"villes":[]}');
    expect(builds).toBe(2);
    expect(view.cachedVariants).toBe(2);
    // ca-mensuel is now the most recently used: the next variant evicts villes, not it.
    expect(view.body('ca-mensuel', [undefined, undefined], build({ whole: false }))).toBe(whole);
    view.body('ca-mensuel', [undefined, '2023-01'], build({ mois: 1 }));
    expect(builds).toBe(3);
    expect(view.cachedVariants).toBe(2);
    expect(view.body('ca-mensuel', [undefined, undefined], build({ whole: false }))).toBe(whole);
    expect(view.body('villes', [], build({ villes: ['again'] })).bytes.toString('utf8')).toBe('{"villes":["again"]}');
    expect(builds).toBe(4);
    // Options make distinct variants: a city and a month are not the same key.
    expect(view.body('ca-mensuel', ['2023-01', undefined], build({ ville: 1 })).bytes.toString('utf8')).toBe('{"ville":1}');
    expect(builds).toBe(5);
  });
});
