// The guard of the routes that change state: RATE_LIMIT_PER_MINUTE (counting only requests that reach the
// work), the failed-auth throttle over Bearer and Basic (Bull Board included), the cross-site refusal and
// the JSON-only body of POST /api/process.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AUTH_FAILURES_ALLOWED } from '../../src/plugins/auth.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const CSV = 'transaction_id,date,ville,type,modele,prix,duree_location_mois\nTX1,2023-01-14,Paris,vente,Peugeot 208,18990.00,\n';
const TOKEN = 'guard-token';

type Inject = Parameters<TestApp['app']['inject']>[0];

/** Each address gets a limit of its own: tests use their own so they do not share one. */
let nextAddress = 1;
function address(): string {
  nextAddress += 1;
  return `10.20.${Math.floor(nextAddress / 250)}.${nextAddress % 250}`;
}

function post(t: TestApp, remoteAddress: string, options: Omit<Exclude<Inject, string>, 'method' | 'url'> = {}) {
  return t.app.inject({ method: 'POST', url: '/api/process', remoteAddress, ...options });
}

async function seed(t: TestApp): Promise<void> {
  await writeFile(join(t.dataDir, 'transactions.csv'), CSV);
}

describe('RATE_LIMIT_PER_MINUTE on POST /api/process', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
    await seed(t);
  });
  afterEach(async () => {
    await t.redis.del(`${t.prefix}:active-run`);
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts only requests that reach the work: 400, 404, 415 and 403 never use the limit up', async () => {
    const client = address();
    for (let i = 0; i < 5; i += 1) {
      expect((await post(t, client, { payload: { source: '../x.csv' } })).statusCode).toBe(400);
      expect((await post(t, client, { payload: { source: 'missing.csv' } })).statusCode).toBe(404);
      expect((await post(t, client, { payload: { sourc: 'x.csv' } })).statusCode).toBe(400);
      expect((await post(t, client, { headers: { 'content-type': 'text/plain' }, payload: 'x' })).statusCode).toBe(415);
      expect((await post(t, client, { headers: { 'sec-fetch-site': 'cross-site' } })).statusCode).toBe(403);
    }
    const started = await post(t, client);
    expect(started.statusCode).toBe(202);
    expect(started.headers['x-ratelimit-limit']).toBe('3');
    expect(started.headers['x-ratelimit-remaining']).toBe('2');
    // A 409 tried to start a run: it counts.
    expect((await post(t, client)).statusCode).toBe(409);
    expect((await post(t, client)).statusCode).toBe(409);
    const refused = await post(t, client);
    expect(refused.statusCode).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.json()).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `too many requests to POST /api/process from this address (at most 3 a minute, RATE_LIMIT_PER_MINUTE); retry in ${retryAfter} s`,
    });
    // Used up: refused before anything else is looked at, a bad request included.
    expect((await post(t, client, { payload: { source: '../x.csv' } })).statusCode).toBe(429);
  });

  it('keeps one limit per client address, and leaves reads alone', async () => {
    const greedy = address();
    for (let i = 0; i < 3; i += 1) await post(t, greedy);
    expect((await post(t, greedy)).statusCode).toBe(429);
    expect([202, 409]).toContain((await post(t, address())).statusCode);
    for (let i = 0; i < 10; i += 1) {
      expect((await t.app.inject({ method: 'GET', url: '/api/jobs', remoteAddress: greedy })).statusCode).toBe(200);
    }
  });

  it('is off with RATE_LIMIT_PER_MINUTE=0', async () => {
    const open = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    try {
      await seed(open);
      const client = address();
      for (let i = 0; i < 40; i += 1) {
        const res = await post(open, client);
        expect([202, 409]).toContain(res.statusCode);
        expect(res.headers['x-ratelimit-limit']).toBeUndefined();
      }
    } finally {
      await open.close();
    }
  });
});

describe('failed authentication, throttled per address over Bearer and Basic', () => {
  let t: TestApp;
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  beforeAll(async () => {
    t = await createTestApp({ ADMIN_TOKEN: TOKEN, RATE_LIMIT_PER_MINUTE: '0' });
    await seed(t);
  });
  afterEach(async () => {
    await t.redis.del(`${t.prefix}:active-run`);
  });
  afterAll(async () => {
    await t.close();
  });

  it(`answers 429 after ${AUTH_FAILURES_ALLOWED} wrong tokens, even to the right one, on every door`, async () => {
    const guesser = address();
    // No credentials at all is not a guess.
    for (let i = 0; i < AUTH_FAILURES_ALLOWED + 5; i += 1) expect((await post(t, guesser)).statusCode).toBe(401);
    for (let i = 0; i < AUTH_FAILURES_ALLOWED; i += 1) {
      expect((await post(t, guesser, { headers: { authorization: `Bearer guess-${i}` } })).statusCode).toBe(401);
    }
    const locked = await post(t, guesser, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(locked.statusCode).toBe(429);
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(locked.json().message).toBe(
      `too many failed authentication attempts from this address (at most ${AUTH_FAILURES_ALLOWED} a minute); retry in ${retryAfter} s`,
    );
    // The same address is locked out of Bull Board too (page, assets, API), right credentials or not.
    for (const url of ['/admin/queues', '/admin/queues/static/js/main.js', '/admin/queues/api/queues']) {
      const res = await t.app.inject({ method: 'GET', url, remoteAddress: guesser, headers: { authorization: basic('admin', TOKEN) } });
      expect(res.statusCode).toBe(429);
      expect(res.headers['retry-after']).toBeDefined();
    }
    // Other addresses are not.
    expect((await post(t, address(), { headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(202);
  });

  it('counts wrong Basic credentials on Bull Board, its assets and its API against the same allowance', async () => {
    const guesser = address();
    const urls = ['/admin/queues', '/admin/queues/api/queues', '/admin/queues/static/js/main.js'];
    for (let i = 0; i < AUTH_FAILURES_ALLOWED; i += 1) {
      const url = urls[i % urls.length];
      const res = await t.app.inject({ method: 'GET', url, remoteAddress: guesser, headers: { authorization: basic('admin', `guess-${i}`) } });
      expect(res.statusCode).toBe(401);
    }
    const board = await t.app.inject({ method: 'GET', url: '/admin/queues/api/queues', remoteAddress: guesser, headers: { authorization: basic('admin', TOKEN) } });
    expect(board.statusCode).toBe(429);
    expect((await post(t, guesser, { headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(429);
    const other = await t.app.inject({ method: 'GET', url: '/admin/queues/api/queues', remoteAddress: address(), headers: { authorization: basic('admin', TOKEN) } });
    expect(other.statusCode).toBe(200);
  });
});

describe('cross-site requests and body types of POST /api/process', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    await seed(t);
  });
  afterEach(async () => {
    await t.redis.del(`${t.prefix}:active-run`);
  });
  afterAll(async () => {
    await t.close();
  });

  it('accepts a script with no body and no content type, or a JSON body', async () => {
    expect((await post(t, address())).statusCode).toBe(202);
    await t.redis.del(`${t.prefix}:active-run`);
    const json = await post(t, address(), { headers: { 'content-type': 'application/json; charset=utf-8' }, payload: '{"source":"transactions.csv"}' });
    expect(json.statusCode).toBe(202);
  });

  it.each([
    ['a browser on another site', { 'sec-fetch-site': 'cross-site' }, 'Sec-Fetch-Site: cross-site'],
    ['a browser on a sibling site', { 'sec-fetch-site': 'same-site' }, 'Sec-Fetch-Site: same-site'],
    ['an Origin of another host', { origin: 'http://evil.example' }, 'Origin: http://evil.example is not this host'],
    ['an Origin on another port', { origin: 'http://localhost:8080' }, 'Origin: http://localhost:8080 is not this host'],
    ['an opaque Origin', { origin: 'null' }, 'Origin: null'],
  ])('refuses %s with 403', async (_what, headers, reason) => {
    const res = await post(t, address(), { headers });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ statusCode: 403, error: 'Forbidden', message: expect.stringContaining(`cross-site request refused (${reason})`) });
    expect(await t.redis.get(`${t.prefix}:active-run`)).toBeNull();
  });

  it.each([
    ['the same origin', { 'sec-fetch-site': 'same-origin', origin: 'http://localhost' }],
    ['an address typed by the user', { 'sec-fetch-site': 'none' }],
    ['an Origin naming this host', { origin: 'http://localhost:80' }],
    ['an Origin naming this host through a proxy', { origin: 'https://analytics.example', 'x-forwarded-host': 'analytics.example' }],
  ])('accepts %s', async (_what, headers) => {
    expect((await post(t, address(), { headers })).statusCode).toBe(202);
  });

  it('refuses a cross-site request even with the right token', async () => {
    const guarded = await createTestApp({ ADMIN_TOKEN: TOKEN, RATE_LIMIT_PER_MINUTE: '0' });
    try {
      const res = await post(guarded, address(), { headers: { authorization: `Bearer ${TOKEN}`, 'sec-fetch-site': 'cross-site' } });
      expect(res.statusCode).toBe(403);
    } finally {
      await guarded.close();
    }
  });

  it.each([
    ['a form', 'application/x-www-form-urlencoded', 'source=transactions.csv'],
    ['text/plain', 'text/plain', '{"source":"transactions.csv"}'],
    ['multipart', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="source"\r\n\r\na.csv\r\n--x--\r\n'],
    ['an empty form', 'application/x-www-form-urlencoded', ''],
  ])('refuses %s body with 415, saying to send JSON', async (_what, contentType, payload) => {
    const res = await post(t, address(), { headers: { 'content-type': contentType }, payload });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toEqual({
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: `unsupported content type '${contentType}': send the body as JSON with Content-Type: application/json, or send no body`,
    });
    expect(await t.redis.get(`${t.prefix}:active-run`)).toBeNull();
  });

  it('refuses a body without a content type with 415', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/process',
      remoteAddress: address(),
      headers: { 'content-length': '29' },
      payload: Buffer.from('{"source":"transactions.csv"}'),
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().message).toContain('a body needs Content-Type: application/json');
  });

  it("refuses Bull Board's actions from another origin, and lets its pages be read", async () => {
    const action = await t.app.inject({ method: 'PUT', url: '/admin/queues/api/queues/map/pause', headers: { 'sec-fetch-site': 'cross-site' } });
    expect(action.statusCode).toBe(403);
    const page = await t.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { 'sec-fetch-site': 'cross-site' } });
    expect(page.statusCode).toBe(200);
  });
});
