// The check every e2e call goes through (support/api-client.ts): an answer that breaks the OpenAPI document
// is reported, one that keeps to it is not.
import { describe, expect, it } from '@jest/globals';
import { contractProblems } from './support/api-client.js';

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}

const runHeaders = { 'x-run-id': 'r1', etag: '"r1-abc"' };

describe('contractProblems', () => {
  it('accepts answers as documented', async () => {
    expect(await contractProblems('GET', '/api/villes', json(200, { villes: ['Lyon', 'Paris'] }, runHeaders))).toEqual([]);
    const notFound = json(404, { statusCode: 404, error: 'Not Found', message: 'no results yet' });
    expect(await contractProblems('GET', '/api/villes', notFound)).toEqual([]);
    expect(await contractProblems('GET', '/api/villes', new Response(null, { status: 304, headers: runHeaders }))).toEqual([]);
  });

  it('reports a status the operation does not document', async () => {
    const problems = await contractProblems('GET', '/api/villes', json(418, { statusCode: 418, error: "I'm a Teapot", message: 'no' }));
    expect(problems).toEqual([expect.stringContaining('GET /api/villes (listVilles) answered 418, which the document does not list')]);
  });

  it('reports a body its schema refuses, and the error shape with another status than its own', async () => {
    expect(await contractProblems('GET', '/api/villes', json(200, { villes: 'Lyon' }, runHeaders))).toEqual([
      expect.stringContaining('with a body its schema refuses: data/villes must be array'),
    ]);
    const wrongStatus = json(404, { statusCode: 400, error: 'Bad Request', message: 'x' });
    expect(await contractProblems('GET', '/api/villes', wrongStatus)).toEqual([expect.stringContaining('data/statusCode must be equal to one of the allowed values')]);
  });

  it('reports a missing documented header, an undocumented content type and an operation not in the document', async () => {
    expect(await contractProblems('GET', '/api/villes', json(200, { villes: [] }))).toEqual([
      'GET /api/villes answered 200 without its documented X-Run-Id header',
      'GET /api/villes answered 200 without its documented ETag header',
    ]);
    const text = new Response('villes', { status: 200, headers: { 'content-type': 'text/plain', ...runHeaders } });
    expect(await contractProblems('GET', '/api/villes', text)).toEqual([expect.stringContaining("as 'text/plain', not as documented (application/json)")]);
    expect(await contractProblems('DELETE', '/api/villes', json(200, {}))).toEqual(['DELETE /api/villes is not in the OpenAPI document']);
  });
});
