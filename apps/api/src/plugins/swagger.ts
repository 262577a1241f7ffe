// The OpenAPI 3 document (/docs/json) built from the routes' TypeBox schemas, and Swagger UI at /docs.
// Registered before the routes so every route is collected. The document is the same for every instance
// (nothing in it depends on the configuration), so the generated client (packages/api-client) fits them all.
// Conventions every documented route follows (test/openapi-conventions.test.ts checks them): an operationId,
// tags, `security` (the bearer scheme for routes that change state, set by plugins/state-change.ts; none
// for the others, set here), and every 4XX/5XX it answers on purpose with its error schema.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifySchema } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Type } from 'typebox';
import { documentedMedia, errorResponses } from '../schemas/responses.js';
import { NoQuerySchema } from '../schemas/no-query.js';
import { ADMIN_BASIC_SCHEME, ADMIN_TOKEN_SCHEME } from '../schemas/security.js';
import { BULL_BOARD_PATH } from './bull-board.js';

export const DOCS_PREFIX = '/docs';
export const LICENSE_PATH = `${DOCS_PREFIX}/license`;

/**
 * No licence was chosen for this service: its terms are the default ones of copyright. Said here, and served
 * at LICENSE_PATH, because the OpenAPI document must name them (info.license).
 */
const LICENSE_NOTICE =
  'AutoConnect analytics API: proprietary. Copyright AutoConnect, all rights reserved.\n' +
  'No licence to use, copy, modify or redistribute this API or its code is granted beyond AutoConnect\'s own use.\n';

/** The Bull Board page, documented for its credentials; the board's assets and JSON API are its own business. */
const QUEUES_BOARD_SCHEMA = {
  operationId: 'getQueuesBoard',
  tags: ['operations'],
  summary: 'Bull Board over the pipeline queues',
  description:
    'An HTML page (Bull Board) over the queues split, map and aggregate: jobs by state, their data and errors. With ' +
    'ADMIN_TOKEN set it needs HTTP Basic, user `admin` and the token as password, like its assets and its JSON API ' +
    'under /admin/queues/ (not described here); its actions are refused (403) when a browser sends them from ' +
    'another origin.',
  security: [{ [ADMIN_BASIC_SCHEME]: [] }],
  response: {
    200: documentedMedia('text/html', Type.String(), 'The board page.', '<!DOCTYPE html><html lang="en"><head>…'),
    ...errorResponses({
      401: {
        description: 'ADMIN_TOKEN is set and the Basic credentials are missing or wrong.',
        example: "missing credentials: HTTP Basic with user 'admin' and ADMIN_TOKEN",
        headers: {
          'WWW-Authenticate': Type.String({
            description: 'The Basic challenge.',
            example: 'Basic realm="autoconnect admin", charset="UTF-8"',
          }),
        },
      },
      429: {
        description: 'Too many failed authentication attempts from this address; Retry-After says when to retry.',
        example: 'too many failed authentication attempts from this address (at most 10 a minute); retry in 42 s',
        headers: { 'Retry-After': Type.Integer({ minimum: 0, description: 'Seconds to wait before retrying.', example: 42 }) },
      },
    }),
  },
};

/** Routes of the document besides those under /api/: operations, and the Bull Board page. */
const DOCUMENTED_URLS = new Set(['/health', '/ready', '/metrics']);

/** The part of an OpenAPI document the request-body fix reads. */
interface OpenApiPaths {
  paths?: Record<
    string,
    Record<string, { requestBody?: { required?: boolean; content?: Record<string, { schema?: { type?: string; required?: string[] } }> } }>
  >;
}

async function swaggerPlugin(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'AutoConnect analytics API',
        version: '1.0.0',
        description:
          'Metrics of a car dealer\'s transactions CSV (cities, monthly revenue, sales vs rentals, top models), ' +
          'computed by a Map-Reduce pipeline. Results endpoints answer 404 "no results yet" until a run has completed; ' +
          'each results answer carries X-Run-Id and an ETag (send If-None-Match to get 304). Every route refuses ' +
          'parameters it does not know (400). Errors have Fastify\'s shape: `{ statusCode, error, message }`. ' +
          'The examples are real answers for the sample file data/transactions.csv.',
        license: { name: 'Proprietary (all rights reserved)', url: LICENSE_PATH },
      },
      // Relative: the API is wherever this document is served from (http://localhost:5000 by default).
      servers: [{ url: '/', description: 'The service that serves this document.' }],
      tags: [
        { name: 'results', description: 'Metrics of the last completed run, served from memory.' },
        { name: 'runs', description: 'Start a run and follow its progress (also live, as Server-Sent Events).' },
        { name: 'files', description: 'The CSV files of DATA_DIR: list them, upload one.' },
        { name: 'health', description: 'Liveness and readiness, for orchestrators and load balancers.' },
        { name: 'operations', description: 'Prometheus metrics, and Bull Board over the pipeline queues.' },
      ],
      components: {
        securitySchemes: {
          [ADMIN_TOKEN_SCHEME]: {
            type: 'http',
            scheme: 'bearer',
            description:
              'ADMIN_TOKEN of the service, for the routes that change state. When the service has no ADMIN_TOKEN, ' +
              'no token is needed (GET /api/status says which: auth_required).',
          },
          [ADMIN_BASIC_SCHEME]: {
            type: 'http',
            scheme: 'basic',
            description: 'For Bull Board: user `admin`, password the ADMIN_TOKEN of the service (none needed without one).',
          },
        },
      },
    },
    // The API's own routes and the Bull Board page; the dashboard's files, Swagger UI, this notice and the
    // board's assets and JSON API stay out. A route that declares no security needs none.
    transform: ({ schema, url, route }) => {
      const method = Array.isArray(route.method) ? route.method : [route.method];
      // The board's page (its route has the prefix's trailing slash; the path without it is served too).
      if (url === `${BULL_BOARD_PATH}/` && method.includes('GET')) {
        return { schema: QUEUES_BOARD_SCHEMA as FastifySchema, url: BULL_BOARD_PATH, route };
      }
      const documented = url.startsWith('/api/') || DOCUMENTED_URLS.has(url);
      if (!documented) return { schema: { ...schema, hide: true }, url, route };
      return { schema: { ...schema, security: schema?.security ?? [] }, url, route };
    },
    // @fastify/swagger marks every request body required; a body whose schema requires nothing may be left
    // out (the validator reads an absent body as {}), and Swagger UI must let users send none.
    transformObject: (documentObject) => {
      if (!('openapiObject' in documentObject)) return documentObject.swaggerObject;
      const document = documentObject.openapiObject as unknown as OpenApiPaths;
      for (const item of Object.values(document.paths ?? {})) {
        for (const operation of Object.values(item)) {
          const body = operation.requestBody;
          const schema = body?.content?.['application/json']?.schema;
          if (body && schema?.type === 'object' && (schema.required ?? []).length === 0) body.required = false;
        }
      }
      return documentObject.openapiObject;
    },
  });
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    uiConfig: { deepLinking: true, tryItOutEnabled: true, validatorUrl: null, displayRequestDuration: true },
  });
  app.get(LICENSE_PATH, { schema: { hide: true, querystring: NoQuerySchema } }, async (_request, reply) =>
    reply.type('text/plain; charset=utf-8').send(LICENSE_NOTICE),
  );
}

export default fp(swaggerPlugin, { name: 'swagger' });
