// The OpenAPI document, checked by a real OpenAPI validator, Swagger UI, and the security headers.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import SwaggerParser from '@apidevtools/swagger-parser';
import helmet from 'helmet';
import { HELMET_OPTIONS } from '../src/security/security-headers.js';
import { createTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;

/** What helmet's own middleware sets on a real Node response with the app's options. */
function helmetOnNodeResponse(): Record<string, string> {
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  helmet(HELMET_OPTIONS)(res.req, res, () => {});
  return Object.fromEntries(Object.entries(res.getHeaders()).map(([name, value]) => [name, String(value)]));
}

beforeAll(async () => {
  t = await createTestApp({ ADMIN_TOKEN: 'token' });
});

afterAll(async () => {
  await t.close();
});

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; responses: Record<string, unknown>; security?: unknown[] }>>;
}

describe('GET /docs/json', () => {
  it('is a valid OpenAPI 3 document covering every route of the contract (/admin/queues included) and /metrics, and only those (no dashboard files)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as OpenApiDocument;
    expect(doc.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();

    expect(Object.keys(doc.paths).sort()).toEqual([
      '/admin/queues',
      '/api/ca-mensuel',
      '/api/events',
      '/api/files',
      '/api/files/{name}',
      '/api/jobs',
      '/api/jobs/{id}',
      '/api/process',
      '/api/repartition',
      '/api/status',
      '/api/top-modeles',
      '/api/villes',
      '/health',
      '/metrics',
      '/ready',
    ]);
    const params = (path: string, method = 'get') => (doc.paths[path][method].parameters ?? []).map((p) => `${p.in}:${p.name}`).sort();
    expect(params('/api/ca-mensuel')).toEqual(['query:mois', 'query:ville']);
    expect(params('/api/repartition')).toEqual(['query:format', 'query:ville']);
    expect(params('/api/top-modeles')).toEqual(['query:limit', 'query:ville']);
    expect(params('/api/jobs/{id}')).toEqual(['path:id']);
    expect(Object.keys(doc.paths['/api/top-modeles'].get.responses).sort()).toEqual(['200', '304', '400', '404', '503']);
    expect(Object.keys(doc.paths['/api/process'].post.responses).sort()).toEqual(['202', '400', '401', '403', '404', '409', '413', '415', '429', '503']);
    expect(Object.keys(doc.paths['/api/jobs/{id}'].get.responses).sort()).toEqual(['200', '404', '503']);
    expect(doc.paths['/api/process'].post.security).toEqual([{ adminToken: [] }]);
    // The body is optional (DATA_FILE by default), so Swagger UI may send none.
    expect((doc.paths['/api/process'].post as { requestBody?: { required?: boolean } }).requestBody?.required).toBe(false);
    expect(Object.keys(doc.paths['/ready'].get.responses).sort()).toEqual(['200', '503']);
    const metrics = doc.paths['/metrics'].get.responses['200'] as { content?: Record<string, unknown> };
    expect(Object.keys(metrics.content ?? {})).toEqual(['text/plain']);

    // The event stream: a text/event-stream answer, its events described.
    const events = doc.paths['/api/events'].get as { description?: string; responses: Record<string, { content?: Record<string, unknown> }> };
    expect(Object.keys(events.responses['200'].content ?? {})).toEqual(['text/event-stream']);
    for (const name of ['status', 'run.created', 'run.progress', 'run.ended', 'results.published']) expect(events.description).toContain(`\`${name}\``);
    // Uploads: the raw file as the body, the token, and every refusal.
    const upload = doc.paths['/api/files/{name}'].put as {
      requestBody?: { required?: boolean; content?: Record<string, { schema?: { format?: string } }> };
      responses: Record<string, unknown>;
      security?: unknown[];
    };
    expect(Object.keys(upload.requestBody?.content ?? {})).toEqual(['text/csv', 'application/octet-stream']);
    expect(upload.requestBody?.content?.['text/csv'].schema?.format).toBe('binary');
    expect(upload.security).toEqual([{ adminToken: [] }]);
    expect(Object.keys(upload.responses).sort()).toEqual(['201', '400', '401', '403', '409', '413', '429', '507']);
    expect(params('/api/files/{name}', 'put')).toEqual(['path:name', 'query:overwrite']);
    expect(Object.keys(doc.paths['/api/files'].get.responses)).toEqual(['200']);
    // Bull Board: its page, behind HTTP Basic admin:<ADMIN_TOKEN>; its assets and JSON API stay out.
    expect(Object.keys(doc.paths['/admin/queues'])).toEqual(['get']);
    expect(doc.paths['/admin/queues'].get.security).toEqual([{ adminBasic: [] }]);
    expect(Object.keys(doc.paths['/admin/queues'].get.responses).sort()).toEqual(['200', '401', '429']);
    expect(Object.keys(doc.paths).filter((path) => path.startsWith('/admin/'))).toEqual(['/admin/queues']);
  });
});

describe('Swagger UI', () => {
  it('serves its page and assets under the security headers, without forcing HTTPS', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/docs' });
    const html = page.statusCode === 302 ? await t.app.inject({ method: 'GET', url: page.headers.location as string }) : page;
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    const csp = html.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    // Every script the page loads is same-origin, so the CSP lets it run.
    const scripts = [...html.body.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    expect(html.body).not.toMatch(/<script(?![^>]*src=)[^>]*>\s*\S/);
    for (const src of scripts) {
      expect(src).not.toMatch(/^https?:/);
      const asset = await t.app.inject({ method: 'GET', url: src.startsWith('/') ? src : `/docs/${src.replace(/^\.\//, '')}` });
      expect(asset.statusCode).toBe(200);
    }
    const init = await t.app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    expect(init.statusCode).toBe(200);
  });
});

describe('security headers and errors', () => {
  it('sets helmet headers on API answers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toBeDefined();
  });

  it('sets the same helmet headers on every answer: liveness, results, errors, unknown routes, docs, Bull Board', async () => {
    const expected = helmetOnNodeResponse();
    expect(Object.keys(expected).length).toBeGreaterThan(10);
    const urls = ['/health', '/api/ca-mensuel', '/api/ca-mensuel?mois=2023-13', '/api/nope', '/metrics', '/docs', '/admin/queues'];
    for (const url of urls) {
      const res = await t.app.inject({ method: 'GET', url });
      const security = Object.fromEntries(Object.keys(expected).map((name) => [name, res.headers[name]]));
      expect(security).toEqual(expected);
    }
    expect(expected['content-security-policy']).toContain("default-src 'self'");
    expect(expected['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('answers unknown routes in the error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nope?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'no route GET /api/nope' });
  });
});
