// The conventions every operation of the OpenAPI document follows, checked on the document the app builds
// (no server, no Redis). A new route that misses one fails here with the route and what it lacks: an
// operationId (stable, camelCase: the generated client's names), tags, `security`, the 400 of its strict
// parameters, and every error answer in Fastify's shape with its status, described, with a real example.
import { describe, expect, it } from '@jest/globals';
import { STATUS_CODES } from 'node:http';
import { openApiDocument, type OpenApiDocument } from '../src/openapi-document.js';

interface MediaType {
  schema?: { type?: string; required?: string[]; properties?: Record<string, { enum?: unknown[] }> };
  example?: unknown;
  examples?: Record<string, unknown>;
}

interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  responses: Record<string, { description?: string; content?: Record<string, MediaType> }>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** The stable names of the operations: clients call these, so renaming one is a breaking change. */
const OPERATION_IDS = {
  'GET /admin/queues': 'getQueuesBoard',
  'GET /health': 'getHealth',
  'GET /ready': 'getReady',
  'GET /metrics': 'getMetrics',
  'GET /api/villes': 'listVilles',
  'GET /api/ca-mensuel': 'getCaMensuel',
  'GET /api/repartition': 'getRepartition',
  'GET /api/top-modeles': 'getTopModeles',
  'POST /api/process': 'startRun',
  'GET /api/jobs': 'listRuns',
  'GET /api/jobs/{id}': 'getRun',
  'GET /api/status': 'getStatus',
  'GET /api/events': 'streamEvents',
  'GET /api/files': 'listFiles',
  'PUT /api/files/{name}': 'uploadFile',
};

const document: OpenApiDocument = await openApiDocument();
const operations: Array<[string, Operation]> = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
  METHODS.filter((method) => item?.[method as keyof typeof item] !== undefined).map(
    (method) => [`${method.toUpperCase()} ${path}`, item![method as keyof typeof item] as unknown as Operation] as [string, Operation],
  ),
);

/** What `check` finds wrong with each operation, keyed by operation: [] when nothing. */
function problems(check: (operation: Operation, name: string) => string[]): Record<string, string[]> {
  return Object.fromEntries(operations.map(([name, operation]) => [name, check(operation, name)]).filter(([, found]) => found.length > 0));
}

describe('every operation of the OpenAPI document', () => {
  it('has a stable camelCase operationId, unique, and the ones clients know keep their names', () => {
    expect(problems((op) => (op.operationId && /^[a-z][a-zA-Z0-9]*$/.test(op.operationId) ? [] : [`operationId ${op.operationId}`]))).toEqual({});
    const ids = operations.map(([, op]) => op.operationId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const named = Object.fromEntries(operations.map(([name, op]) => [name, op.operationId]));
    for (const [name, id] of Object.entries(OPERATION_IDS)) expect([name, named[name]]).toEqual([name, id]);
  });

  it('has a summary and tags that the document describes', () => {
    const tags = new Set((document.tags ?? []).filter((tag) => tag.description).map((tag) => tag.name));
    expect(
      problems((op) => [
        ...(op.summary ? [] : ['no summary']),
        ...((op.tags ?? []).length === 0 ? ['no tags'] : []),
        ...(op.tags ?? []).filter((tag) => !tags.has(tag)).map((tag) => `tag ${tag} not described`),
      ]),
    ).toEqual({});
  });

  it('says which credentials it takes: none for reads, the bearer token for routes that change state (401), Basic for Bull Board', () => {
    const schemes = Object.keys(document.components?.securitySchemes ?? {});
    expect(schemes.sort()).toEqual(['adminBasic', 'adminToken']);
    expect(
      problems((op, name) => {
        if (op.security === undefined) return ['no security'];
        const used = op.security.flatMap((requirement) => Object.keys(requirement));
        const unknown = used.filter((scheme) => !schemes.includes(scheme)).map((scheme) => `unknown scheme ${scheme}`);
        // A route that takes credentials answers 401 without them; one that answers 401 says which credentials.
        const mismatch = (used.length > 0) !== ('401' in op.responses) ? [`security ${JSON.stringify(op.security)} with responses ${Object.keys(op.responses)}`] : [];
        const reads = name.startsWith('GET /api/') && used.length > 0 ? ['a read that needs credentials'] : [];
        return [...unknown, ...mismatch, ...reads];
      }),
    ).toEqual({});
  });

  it('documents the 400 of its strict parameters (every route refuses unknown ones) and a success answer', () => {
    const api = operations.filter(([name]) => name !== 'GET /admin/queues');
    const missing = api.filter(([, op]) => !('400' in op.responses) || !Object.keys(op.responses).some((code) => code.startsWith('2')));
    expect(missing.map(([name, op]) => `${name}: ${Object.keys(op.responses)}`)).toEqual([]);
  });

  it('answers every 4XX and 5XX in JSON, in Fastify\'s error shape with that status, described, with an example', () => {
    expect(
      problems((op) =>
        Object.entries(op.responses)
          .filter(([code]) => Number(code) >= 400)
          .flatMap(([code, answer]) => {
            const media = answer.content?.['application/json'];
            const schema = media?.schema;
            const found: string[] = [];
            if (!answer.description) found.push(`${code}: no description`);
            if (Object.keys(answer.content ?? {}).join() !== 'application/json') found.push(`${code}: not only application/json`);
            if (!['statusCode', 'error', 'message'].every((key) => schema?.required?.includes(key))) found.push(`${code}: not the error shape`);
            if (schema?.properties?.statusCode?.enum?.join() !== code) found.push(`${code}: statusCode is not ${code}`);
            if (schema?.properties?.error?.enum?.join() !== STATUS_CODES[Number(code)]) found.push(`${code}: error is not "${STATUS_CODES[Number(code)]}"`);
            const example = (media?.example ?? Object.values(media?.examples ?? {})[0]) as { statusCode?: number } | undefined;
            if (example?.statusCode !== Number(code)) found.push(`${code}: no example of it`);
            return found;
          }),
      ),
    ).toEqual({});
  });

  it('has an example for every JSON success answer', () => {
    expect(
      problems((op) =>
        Object.entries(op.responses)
          .filter(([code]) => code.startsWith('2'))
          .flatMap(([code, answer]) =>
            Object.entries(answer.content ?? {})
              .filter(([, media]) => media.example === undefined && media.examples === undefined)
              .map(([type]) => `${code} ${type}: no example`),
          ),
      ),
    ).toEqual({});
  });
});
