// ADMIN_TOKEN: bearer on POST /api/process, Basic on Bull Board (page, assets, API); reads stay public.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestApp, type TestApp } from '../support/test-app.js';

const TOKEN = 's3cret-token';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('with ADMIN_TOKEN set', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ ADMIN_TOKEN: TOKEN });
    await writeFile(join(t.dataDir, 'transactions.csv'), 'date,ville,type,modele,prix\n');
  });

  afterAll(async () => {
    await t.close();
  });

  it('POST /api/process needs the bearer token (401 with WWW-Authenticate otherwise)', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, TOKEN, 'Bearer ']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/process', headers: authorization ? { authorization } : {} });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm=/);
      expect(res.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    }
    const ok = await t.app.inject({ method: 'POST', url: '/api/process', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.statusCode).toBe(202);
  });

  it('Bull Board needs Basic admin:<token> for its page, assets and API', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/admin/queues' });
    expect(page.statusCode).toBe(401);
    expect(page.headers['www-authenticate']).toMatch(/^Basic realm=/);
    for (const url of ['/admin/queues/', '/admin/queues/api/queues', '/admin/queues/static/js/main.js', '/admin/queues/queue/map']) {
      expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    }
    for (const authorization of [basic('admin', 'wrong'), basic('root', TOKEN), `Bearer ${TOKEN}`, 'Basic !!!']) {
      expect((await t.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { authorization } })).statusCode).toBe(401);
    }
    const authorization = basic('admin', TOKEN);
    const html = await t.app.inject({ method: 'GET', url: '/admin/queues', headers: { authorization } });
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    const api = await t.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { authorization } });
    expect(api.statusCode).toBe(200);
    const names = (api.json() as { queues: Array<{ name: string }> }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['aggregate', 'map', 'split']);
    // An asset the page links to loads with the same credentials.
    const script = /src="(static\/js\/main\.[^"]+\.js)"/.exec(html.body)?.[1];
    expect(script).toBeDefined();
    const asset = await t.app.inject({ method: 'GET', url: `/admin/queues/${script}`, headers: { authorization } });
    expect(asset.statusCode).toBe(200);
  });

  it('read endpoints and docs stay public', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/villes' })).statusCode).toBe(404); // no results yet, not 401
    expect((await t.app.inject({ method: 'GET', url: '/api/jobs' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(200);
  });
});

describe('without ADMIN_TOKEN', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('lets POST /api/process and Bull Board through', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/process', payload: {} })).statusCode).toBe(404); // no DATA_FILE here
    expect((await t.app.inject({ method: 'GET', url: '/admin/queues/api/queues' })).statusCode).toBe(200);
  });
});
