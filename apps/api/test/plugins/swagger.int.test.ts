// The OpenAPI document, checked by a real OpenAPI validator, Swagger UI, and the security headers.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import SwaggerParser from '@apidevtools/swagger-parser';
import helmet from 'helmet';
import { HELMET_OPTIONS } from '../../src/security/security-headers.js';
import { openApiDocument } from '../../src/openapi-document.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;

/** What helmet's own middleware sets on a real Node response with the app's options. */
function helmetOnNodeResponse(): Record<string, string> {
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  helmet(HELMET_OPTIONS)(res.req, res, () => {});
  return Object.fromEntries(Object.entries(res.getHeaders()).map(([name, value]) => [name, String(value)]));
}

beforeAll(async () => {
  // Settings unlike the defaults the committed document is built with: the document must not change.
  t = await createTestApp({ ADMIN_TOKEN: 'token', MAX_UPLOAD_MB: '5', RATE_LIMIT_PER_MINUTE: '0' });
});

afterAll(async () => {
  await t.close();
});

interface Answer {
  content?: Record<string, unknown>;
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; responses: Record<string, unknown>; security?: unknown[] }>>;
}

describe('GET /docs/json', () => {
  it('is a valid OpenAPI 3 document covering every route of the contract, /metrics and the Bull Board page, and only those', async () => {
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
      '/api/jobs/{id}/cancel',
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
    const statuses = (path: string, method = 'get') => Object.keys(doc.paths[path][method].responses).sort();
    expect(statuses('/api/top-modeles')).toEqual(['200', '304', '400', '404', '503']);
    expect(statuses('/api/process', 'post')).toEqual(['202', '400', '401', '403', '404', '409', '413', '415', '429', '503']);
    expect(statuses('/api/jobs/{id}')).toEqual(['200', '400', '404', '414', '503']);
    expect(statuses('/api/status')).toEqual(['200', '400', '503']);
    expect(doc.paths['/api/process'].post.security).toEqual([{ adminToken: [] }]);
    expect(doc.paths['/api/villes'].get.security).toEqual([]);
    expect(doc.paths['/admin/queues'].get.security).toEqual([{ adminBasic: [] }]);
    // Cancel: the same guard as POST /api/process, every refusal documented, no body needed.
    const cancel = doc.paths['/api/jobs/{id}/cancel'].post as { tags?: string[]; security?: unknown[]; requestBody?: { required?: boolean }; responses: Record<string, unknown> };
    expect(cancel.tags).toEqual(['runs']);
    expect(cancel.security).toEqual([{ adminToken: [] }]);
    expect(Object.keys(cancel.responses).sort()).toEqual(['202', '400', '401', '403', '404', '409', '413', '414', '415', '429', '503']);
    expect(cancel.requestBody?.required).toBe(false);
    expect(params('/api/jobs/{id}/cancel', 'post')).toEqual(['path:id']);
    // The body is optional (DATA_FILE by default), so Swagger UI may send none.
    expect((doc.paths['/api/process'].post as { requestBody?: { required?: boolean } }).requestBody?.required).toBe(false);
    expect(statuses('/ready')).toEqual(['200', '400', '503']);
    // Answers in another media type than JSON keep their errors in JSON.
    const mediaTypes = (path: string) =>
      Object.fromEntries(Object.entries(doc.paths[path].get.responses).map(([code, r]) => [code, Object.keys((r as Answer).content ?? {})]));
    expect(mediaTypes('/metrics')).toEqual({ 200: ['text/plain'], 400: ['application/json'] });
    expect(mediaTypes('/admin/queues')).toEqual({ 200: ['text/html'], 401: ['application/json'], 429: ['application/json'] });

    // The event stream: a text/event-stream answer, its events described.
    const events = doc.paths['/api/events'].get as { description?: string; responses: Record<string, Answer> };
    expect(mediaTypes('/api/events')).toEqual({ 200: ['text/event-stream'], 400: ['application/json'], 406: ['application/json'] });
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
    expect(statuses('/api/files/{name}', 'put')).toEqual(['201', '400', '401', '403', '409', '413', '414', '429', '500', '503', '507']);
    expect(params('/api/files/{name}', 'put')).toEqual(['path:name', 'query:overwrite']);
    expect(statuses('/api/files')).toEqual(['200', '400']);
  });

  it('is the document every instance serves, whatever its configuration (the one the client is generated from)', async () => {
    const served = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(served).toEqual(await openApiDocument());
  });
});

describe('the licence notice the document links to', () => {
  it('is served as text', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json() as { info: { license: { url: string } } };
    const res = await t.app.inject({ method: 'GET', url: doc.info.license.url });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body).toContain('all rights reserved');
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
