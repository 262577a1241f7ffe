// What the client sends: each operation's method and path, its parameters and body, the token.
import { describe, expect, it } from '@jest/globals';
import { OPERATIONS, createApiClient } from '../src/index.js';

function recordingFetch(answer: { status: number; body?: unknown } = { status: 200, body: {} }) {
  const requests: Request[] = [];
  const fetch = async (input: Request) => {
    requests.push(input);
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { requests, fetch: fetch as unknown as typeof globalThis.fetch };
}

describe('createApiClient', () => {
  it('has one method per operation of the document, named by its operationId', () => {
    const api = createApiClient({ baseUrl: 'http://api.test' });
    for (const id of Object.keys(OPERATIONS)) expect([id, typeof (api as unknown as Record<string, unknown>)[id]]).toEqual([id, 'function']);
    expect(OPERATIONS.getRun).toEqual({ method: 'get', path: '/api/jobs/{id}' });
  });

  it('sends the method, path, parameters, body and token the operation says', async () => {
    const { requests, fetch } = recordingFetch({ status: 202, body: { status: 'processing_started', job_id: 'abc' } });
    const api = createApiClient({ baseUrl: 'http://api.test', token: 's3cret', fetch });
    const { data } = await api.startRun({ body: { source: 'ventes-2024.csv' } });
    expect(data).toEqual({ status: 'processing_started', job_id: 'abc' });
    expect(requests[0].method).toBe('POST');
    expect(requests[0].url).toBe('http://api.test/api/process');
    expect(requests[0].headers.get('authorization')).toBe('Bearer s3cret');
    expect(await requests[0].json()).toEqual({ source: 'ventes-2024.csv' });

    await api.getRun({ params: { path: { id: 'a b' } } });
    await api.getTopModeles({ params: { query: { ville: 'Saint-Étienne', limit: 3 } } });
    expect(requests.slice(1).map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET http://api.test/api/jobs/a%20b',
      'GET http://api.test/api/top-modeles?ville=Saint-%C3%89tienne&limit=3',
    ]);
  });

  it('gives an error answer as `error`, typed as the document says', async () => {
    const body = { statusCode: 404, error: 'Not Found', message: "unknown job 'nope'" };
    const { fetch } = recordingFetch({ status: 404, body });
    const api = createApiClient({ baseUrl: 'http://api.test', fetch });
    const { data, error, response } = await api.getRun({ params: { path: { id: 'nope' } } });
    expect(response.status).toBe(404);
    expect(data).toBeUndefined();
    expect(error).toEqual(body);
  });
});
