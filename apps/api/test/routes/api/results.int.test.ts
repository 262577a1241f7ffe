// The results endpoints against real Redis, results seeded with the pipeline's publishResults.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Value } from 'typebox/value';
import { publishResults } from '@autoconnect/pipeline';
import type { Results } from '@autoconnect/core';
import {
  CaMensuelResponseSchema,
  RepartitionResponseSchema,
  TopModelesResponseSchema,
  VillesResponseSchema,
} from '../../../src/schemas/index.js';
import { pollUntil } from '@autoconnect/testkit';
import { createTestApp, type TestApp } from '../../support/test-app.js';
import { resultsFixture } from '../../support/results-fixture.js';

let t: TestApp;
const RUN = 'runResults1';

async function get(url: string, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'GET', url, headers });
}

async function publish(runId: string, results: Results): Promise<void> {
  await publishResults(t.redis, t.prefix, { runId, results });
}

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t.close();
});

describe('before any run completed', () => {
  it.each(['/api/villes', '/api/ca-mensuel', '/api/repartition', '/api/top-modeles', '/api/top-modeles?ville=Paris'])(
    '%s answers 404 no results yet',
    async (url) => {
      const res = await get(url);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'no results yet' });
    },
  );

  it('still validates parameters first (400)', async () => {
    expect((await get('/api/top-modeles?limit=0')).statusCode).toBe(400);
  });
});

describe('with published results', () => {
  beforeAll(async () => {
    await publish(RUN, resultsFixture());
    await pollUntil(async () => ((await get('/api/villes')).statusCode === 200 ? true : undefined), { what: 'results to be served' });
  });

  it('GET /api/villes lists the cities, with X-Run-Id and ETag', async () => {
    const res = await get('/api/villes');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['x-run-id']).toBe(RUN);
    expect(res.headers.etag).toMatch(new RegExp(`^"${RUN}-`));
    expect(res.json()).toEqual({ villes: ['Lyon', 'Paris', 'Saint-Étienne'] });
    expect(Value.Check(VillesResponseSchema, res.json())).toBe(true);
  });

  it('answers 304 to a matching If-None-Match, with the same headers and no body', async () => {
    const first = await get('/api/ca-mensuel?ville=Paris');
    const etag = first.headers.etag as string;
    const again = await get('/api/ca-mensuel?ville=Paris', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['x-run-id']).toBe(RUN);
    const other = await get('/api/ca-mensuel?ville=Lyon', { 'if-none-match': etag });
    expect(other.statusCode).toBe(200);
    expect(other.headers.etag).not.toBe(etag);
  });

  it('sends the exact UTF-8 bytes of the JSON with their length, and Vary: Accept-Encoding', async () => {
    const res = await get('/api/ca-mensuel');
    expect(res.headers['content-length']).toBe(String(res.rawPayload.length));
    expect(res.rawPayload.equals(Buffer.from(JSON.stringify(res.json()), 'utf8'))).toBe(true);
    expect(res.headers.vary).toBe('accept-encoding');
    expect(res.headers['content-encoding']).toBeUndefined();
  });

  it('GET /api/ca-mensuel gives every city and month', async () => {
    const res = await get('/api/ca-mensuel');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(resultsFixture().ca_mensuel);
    expect(Object.keys(res.json())).toEqual(['Lyon', 'Paris', 'Saint-Étienne']);
    expect(Value.Check(CaMensuelResponseSchema, res.json())).toBe(true);
  });

  it('ca-mensuel?mois= keeps that month and fills 0 where a city had no rows', async () => {
    const res = await get('/api/ca-mensuel?mois=2023-01');
    expect(res.json()).toEqual({ Lyon: { '2023-01': 1200.5 }, Paris: { '2023-01': 123456.78 }, 'Saint-Étienne': { '2023-01': 0 } });
    const both = await get('/api/ca-mensuel?ville=saint-etienne&mois=2023-02');
    expect(both.json()).toEqual({ 'Saint-Étienne': { '2023-02': 15000 } });
    const none = await get('/api/ca-mensuel?mois=1999-12');
    expect(none.json()).toEqual({ Lyon: { '1999-12': 0 }, Paris: { '1999-12': 0 }, 'Saint-Étienne': { '1999-12': 0 } });
  });

  it('matches cities exactly, then ignoring case and accents (and blanks around the name)', async () => {
    for (const ville of ['Saint-Étienne', 'saint-etienne', 'SAINT-ETIENNE', 'saint-étienne', ' saint-etienne ']) {
      const res = await get(`/api/ca-mensuel?ville=${encodeURIComponent(ville)}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ 'Saint-Étienne': { '2023-02': 15000 } });
    }
    // NFD input (e + combining accent) is the same city.
    const nfd = await get(`/api/repartition?ville=${encodeURIComponent('Saint-E\u0301tienne')}`);
    expect(nfd.json()).toEqual({ 'Saint-Étienne': { vente: 1, location: 0 } });
  });

  it('answers 404 naming an unknown city', async () => {
    for (const url of ['/api/ca-mensuel?ville=Atlantis', '/api/repartition?ville=Atlantis', '/api/top-modeles?ville=Atlantis']) {
      const res = await get(url);
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toBe('Not Found');
      expect(res.json().message).toContain("'Atlantis'");
    }
    // Punctuation still has to match.
    expect((await get('/api/ca-mensuel?ville=saint%20etienne')).statusCode).toBe(404);
  });

  it('looks up a long city name (the data sets no limit), and refuses one past 4096 characters with a 400 that says so', async () => {
    const long = `Àb${'🚗'.repeat(300)}`;
    const unknown = await get(`/api/repartition?ville=${encodeURIComponent(long)}`);
    expect(unknown.statusCode).toBe(404);
    const tooLong = await get(`/api/repartition?ville=${'a'.repeat(4097)}`);
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().message).toContain('1 to 4096 characters');
    // Blanks around a name are ignored, so a blank one names nothing: a 400 like an empty one, not a 404.
    for (const blank of ['', '%20', '%09%C2%A0']) {
      const res = await get(`/api/repartition?ville=${blank}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toContain('not blank');
    }
  });

  it('GET /api/repartition gives counts, or percentages adding up to 100', async () => {
    const counts = await get('/api/repartition');
    expect(counts.json()).toEqual(resultsFixture().repartition);
    expect(Value.Check(RepartitionResponseSchema, counts.json())).toBe(true);
    const pct = await get('/api/repartition?format=percentage');
    expect(pct.statusCode).toBe(200);
    expect(pct.json()).toEqual({
      Lyon: { vente: 33.33, location: 66.67 },
      Paris: { vente: 60.06, location: 39.94 },
      'Saint-Étienne': { vente: 100, location: 0 },
    });
    for (const split of Object.values(pct.json() as Record<string, { vente: number; location: number }>)) {
      expect(Math.round((split.vente + split.location) * 100)).toBe(10000);
    }
    const one = await get('/api/repartition?ville=paris&format=percentage');
    expect(one.json()).toEqual({ Paris: { vente: 60.06, location: 39.94 } });
  });

  it('GET /api/top-modeles gives 5 models per city by default, limit 1..100 otherwise', async () => {
    const fixture = resultsFixture().top_modeles;
    const byDefault = await get('/api/top-modeles');
    expect(byDefault.json()).toEqual({ Lyon: fixture.Lyon, Paris: fixture.Paris.slice(0, 5), 'Saint-Étienne': fixture['Saint-Étienne'] });
    expect(Value.Check(TopModelesResponseSchema, byDefault.json())).toBe(true);
    expect((await get('/api/top-modeles?ville=Paris&limit=1')).json()).toEqual({ Paris: fixture.Paris.slice(0, 1) });
    expect((await get('/api/top-modeles?ville=Paris&limit=100')).json()).toEqual({ Paris: fixture.Paris });
    const ranked = (await get('/api/top-modeles?ville=Paris&limit=3')).json().Paris as Array<{ modele: string }>;
    // 140, 100, 100: the tie goes to the smaller name in code-point order.
    expect(ranked.map((m) => m.modele)).toEqual(['Peugeot 208', 'Citroën C3', 'Renault Clio']);
  });

  it.each([
    ['/api/ca-mensuel?mois=2023-1', 'mois'],
    ['/api/ca-mensuel?mois=2023-13', 'mois'],
    ['/api/ca-mensuel?mois=', 'mois'],
    ['/api/top-modeles?limit=0', 'limit'],
    ['/api/top-modeles?limit=101', 'limit'],
    ['/api/top-modeles?limit=abc', 'limit'],
    ['/api/top-modeles?limit=5abc', 'limit'],
    ['/api/top-modeles?limit=1.5', 'limit'],
    ['/api/top-modeles?limit=', 'limit'],
    ['/api/top-modeles?limit=5&limit=6', 'limit'],
    ['/api/repartition?format=foo', 'format'],
    ['/api/repartition?format=', 'format'],
    ['/api/repartition?ville=', 'ville'],
    ['/api/repartition?ville=Paris&ville=Lyon', 'ville'],
    ['/api/villes?ville=Paris', 'ville'],
    ['/api/top-modeles?limits=5', 'limits'],
  ])('%s → 400 naming %s', async (url, name) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.statusCode).toBe(400);
    expect(body.error).toBe('Bad Request');
    expect(body.message).toContain(name);
    expect(Object.keys(body).sort()).toEqual(['error', 'message', 'statusCode']);
  });

  it('serves a newly published run as soon as it is announced', async () => {
    const next = resultsFixture();
    next.villes = ['Nîmes'];
    next.ca_mensuel = { Nîmes: { '2024-05': 10 } };
    next.repartition = { Nîmes: { vente: 1, location: 0 } };
    next.top_modeles = { Nîmes: [{ modele: 'Zoé', transactions: 1, ventes: 1, locations: 0, ca: 10 }] };
    const before = await get('/api/villes');
    await publish('runResults2', next);
    const res = await pollUntil(async () => {
      const r = await get('/api/villes');
      return r.headers['x-run-id'] === 'runResults2' ? r : undefined;
    }, { what: 'the new run to be served' });
    expect(res.json()).toEqual({ villes: ['Nîmes'] });
    expect(res.headers.etag).not.toBe(before.headers.etag);
    // The old ETag no longer matches.
    expect((await get('/api/villes', { 'if-none-match': before.headers.etag as string })).statusCode).toBe(200);
    expect((await get('/api/ca-mensuel?ville=nimes')).json()).toEqual({ Nîmes: { '2024-05': 10 } });
  });

  it('compresses a large body for a client that accepts br or gzip, with its own ETag and the same JSON', async () => {
    // Large enough to be worth compressing: many months of many cities.
    const big = resultsFixture();
    for (let i = 0; i < 40; i++) {
      const ville = `Ville ${String(i).padStart(2, '0')}`;
      big.villes.push(ville);
      big.ca_mensuel[ville] = Object.fromEntries(Array.from({ length: 12 }, (_, m) => [`2023-${String(m + 1).padStart(2, '0')}`, 1000 + i * 12 + m + 0.25]));
      big.repartition[ville] = { vente: i, location: 1 };
      big.top_modeles[ville] = [];
    }
    await publish('runCompressed', big);
    await pollUntil(async () => ((await get('/api/villes')).headers['x-run-id'] === 'runCompressed' ? true : undefined), { what: 'the large results to be served' });

    const plain = await get('/api/ca-mensuel');
    expect(plain.rawPayload.length).toBeGreaterThan(4096);
    const expected = plain.json();
    const decoders = { br: brotliDecompressSync, gzip: gunzipSync };
    for (const [acceptEncoding, coding] of [
      ['gzip, deflate, br', 'br'],
      ['br;q=0.5, gzip', 'gzip'],
      ['gzip', 'gzip'],
      ['*', 'br'],
    ] as const) {
      const res = await get('/api/ca-mensuel', { 'accept-encoding': acceptEncoding });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBe(coding);
      expect(res.headers.vary).toBe('accept-encoding');
      expect(res.headers['content-length']).toBe(String(res.rawPayload.length));
      expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length);
      expect(JSON.parse(decoders[coding](res.rawPayload).toString('utf8'))).toEqual(expected);
      expect(res.headers.etag).toBe(`${(plain.headers.etag as string).slice(0, -1)}-${coding}"`);
      const again = await get('/api/ca-mensuel', { 'accept-encoding': acceptEncoding, 'if-none-match': res.headers.etag as string });
      expect(again.statusCode).toBe(304);
      expect(again.headers.etag).toBe(res.headers.etag);
    }
    for (const refused of ['identity', 'br;q=0, gzip;q=0', 'compress']) {
      const res = await get('/api/ca-mensuel', { 'accept-encoding': refused });
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.rawPayload.equals(plain.rawPayload)).toBe(true);
    }
    // A small body is sent as is whatever the client accepts.
    const villes = await get('/api/villes', { 'accept-encoding': 'br' });
    expect(villes.headers['content-encoding']).toBeUndefined();
    expect(villes.json().villes).toHaveLength(43);
  });
});

describe('cities named like numbers', () => {
  it('keep the published order (French collation) as the keys of every body, not integer-like names first', async () => {
    const villes = ['01', '10', '2', 'Lyon'];
    const results: Results = {
      villes,
      ca_mensuel: Object.fromEntries(villes.map((ville, i) => [ville, { '2023-01': i + 1 }])),
      repartition: Object.fromEntries(villes.map((ville, i) => [ville, { vente: i, location: 1 }])),
      top_modeles: Object.fromEntries(villes.map((ville) => [ville, [{ modele: 'Clio', transactions: 1, ventes: 1, locations: 0, ca: 1 }]])),
      rows_valid: 4,
      rows_rejected: 0,
    };
    await publish('runNumberNames', results);
    await pollUntil(async () => ((await get('/api/villes')).headers['x-run-id'] === 'runNumberNames' ? true : undefined), { what: 'the run to be served' });
    // The order of the text, as a client that keeps key order (Python's json, say) reads it.
    const keyOrder = (text: string) => [...text.matchAll(/"(01|10|2|Lyon)":/g)].map((m) => m[1]);
    for (const url of ['/api/ca-mensuel', '/api/ca-mensuel?mois=2023-02', '/api/repartition', '/api/repartition?format=percentage', '/api/top-modeles']) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      expect(keyOrder(res.body)).toEqual(villes);
    }
    expect((await get('/api/repartition')).json()).toEqual({ '01': { vente: 0, location: 1 }, '10': { vente: 1, location: 1 }, '2': { vente: 2, location: 1 }, Lyon: { vente: 3, location: 1 } });
  });
});
