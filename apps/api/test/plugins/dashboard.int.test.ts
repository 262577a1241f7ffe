// The dashboard's files as the API serves them: the page, its modules and styles, Chart.js from the
// installed package, all same-origin under a CSP that allows only 'self'; unknown paths keep the API's 404.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { DASHBOARD_DIR } from '../../src/plugins/dashboard.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => `/${relative(DASHBOARD_DIR, join(e.parentPath, e.name))}`);
}

beforeAll(async () => {
  t = await createTestApp({ ADMIN_TOKEN: 'token' });
});

afterAll(async () => {
  await t.close();
});

describe('GET /', () => {
  it('serves the page under a CSP that allows only its own origin', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https:|unsafe-inline|unsafe-eval/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('loads only same-origin scripts and styles, all served (Chart.js included), with no inline script or style', async () => {
    const html = (await t.app.inject({ method: 'GET', url: '/' })).body;
    const assets = [...html.matchAll(/<(?:script|link)[^>]*(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets).toEqual(expect.arrayContaining(['/vendor/chart.umd.min.js', '/js/main.js', '/dashboard.css']));
    expect(html).not.toMatch(/<script(?![^>]*src=)[^>]*>/);
    expect(html).not.toMatch(/<style|style="/);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/[^/]/);
      const res = await t.app.inject({ method: 'GET', url: asset });
      expect(res.statusCode).toBe(200);
    }
    const chart = await t.app.inject({ method: 'GET', url: '/vendor/chart.umd.min.js' });
    expect(chart.headers['content-type']).toContain('javascript');
    expect(chart.body).toMatch(/Chart\.js v4\./);
  });

  it('serves every file of the dashboard, and every module a module imports exists', async () => {
    const files = await filesUnder(DASHBOARD_DIR);
    for (const file of files) {
      const res = await t.app.inject({ method: 'GET', url: file });
      expect({ file, status: res.statusCode }).toEqual({ file, status: 200 });
      if (file.endsWith('.js')) {
        expect(res.headers['content-type']).toContain('javascript');
        for (const [, target] of res.body.matchAll(/^import .* from '(\.\/[^']+)';$/gm)) {
          expect(files).toContain(`/js/${target.slice(2)}`);
        }
      }
    }
  });

  it('keeps the API 404 for unknown paths, and stays out of the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/js/nope.js' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'no route GET /js/nope.js' });
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, unknown> };
    // Besides the API's own routes, only Bull Board's page is documented (for its credentials).
    const others = ['/health', '/ready', '/metrics', '/admin/queues'];
    expect(Object.keys(doc.paths).filter((path) => !path.startsWith('/api/') && !others.includes(path))).toEqual([]);
  });
});

describe('GET /api/status', () => {
  it('says whether starting a run needs the token, which runs are published and active, and the upload limit', async () => {
    const before = await t.app.inject({ method: 'GET', url: '/api/status' });
    expect(before.statusCode).toBe(200);
    expect(before.json()).toEqual({ auth_required: true, current_run_id: null, active_run_id: null, max_upload_bytes: 1024 * 1024 * 1024 });

    await t.redis.set(`${t.prefix}:results:current`, 'runPublished');
    await writeFile(join(t.dataDir, 'transactions.csv'), 'date,ville,type,modele,prix\n2023-01-14,Paris,vente,Peugeot 208,18990.00\n');
    const started = await t.app.inject({ method: 'POST', url: '/api/process', headers: { authorization: 'Bearer token' } });
    expect(started.statusCode).toBe(202);
    const after = await t.app.inject({ method: 'GET', url: '/api/status' });
    expect(after.json()).toMatchObject({ auth_required: true, current_run_id: 'runPublished', active_run_id: started.json().job_id });
  });
});
