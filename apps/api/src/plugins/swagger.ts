// The OpenAPI 3 document (/docs/json) built from the routes' TypeBox schemas, and Swagger UI at /docs.
// Registered before the routes so every route is collected; Bull Board and the UI's own routes stay out.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

export const DOCS_PREFIX = '/docs';

/** The part of an OpenAPI document the request-body fix reads. */
interface OpenApiPaths {
  paths?: Record<
    string,
    Record<string, { requestBody?: { required?: boolean; content?: Record<string, { schema?: { type?: string; required?: string[] } }> } }>
  >;
  components?: { securitySchemes?: Record<string, unknown> };
}

/**
 * Bull Board (contract §3's `/admin/queues`) is mounted by its own plugin, whose many asset and JSON routes stay
 * out of the document; its page is described here by hand so the document covers every route of the contract.
 */
function bullBoardPath(adminToken: boolean): Record<string, unknown> {
  // The error shape of every answer (ErrorSchema), written as OpenAPI 3.0 itself: it is not a route's schema
  // that @fastify/swagger would convert.
  const schema = {
    type: 'object',
    required: ['statusCode', 'error', 'message'],
    properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' } },
  };
  const error = (description: string) => ({ description, content: { 'application/json': { schema } } });
  return {
    get: {
      tags: ['operations'],
      summary: 'Bull Board over the pipeline\'s queues (split, map, aggregate)',
      description:
        'An HTML page; its assets and JSON API live under /admin/queues/. ' +
        (adminToken
          ? 'ADMIN_TOKEN is set on this instance: HTTP Basic with user `admin` and the token as password.'
          : 'ADMIN_TOKEN is not set on this instance: open to anyone; with it set, HTTP Basic with user `admin` and the token.'),
      security: [{ adminBasic: [] }],
      responses: {
        200: { description: 'The Bull Board page.', content: { 'text/html': { schema: { type: 'string' } } } },
        401: error('Missing or wrong credentials (with ADMIN_TOKEN set).'),
        429: error('Too many failed authentications from this address; see Retry-After.'),
      },
    },
  };
}

async function swaggerPlugin(app: FastifyInstance, options: { adminToken: boolean }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'AutoConnect analytics API',
        version: '1.0.0',
        description:
          'Metrics of a car dealer\'s transactions CSV (cities, monthly revenue, sales vs rentals, top models), ' +
          'computed by a Map-Reduce pipeline. Results endpoints answer 404 "no results yet" until a run has completed; ' +
          'each results answer carries X-Run-Id and an ETag (send If-None-Match to get 304).',
      },
      tags: [
        { name: 'results', description: 'Metrics of the last completed run, served from memory.' },
        { name: 'runs', description: 'Start a run and follow its progress (also live, as Server-Sent Events).' },
        { name: 'files', description: 'The CSV files of DATA_DIR: list them, upload one.' },
        { name: 'health', description: 'Liveness and readiness.' },
        { name: 'operations', description: 'Prometheus metrics.' },
      ],
      components: {
        securitySchemes: {
          adminBasic: {
            type: 'http',
            scheme: 'basic',
            description: 'Bull Board at /admin/queues: user `admin`, password ADMIN_TOKEN (when set).',
          },
          adminToken: {
            type: 'http',
            scheme: 'bearer',
            description: options.adminToken
              ? 'ADMIN_TOKEN of the service.'
              : 'ADMIN_TOKEN of the service (not set on this instance: no token needed).',
          },
        },
      },
    },
    // Everything outside the API's own routes (Bull Board, the dashboard's files) is left out of the document.
    transform: ({ schema, url, route }) => {
      const documented = url.startsWith('/api/') || url === '/health' || url === '/ready' || url === '/metrics';
      return { schema: documented ? schema : { ...schema, hide: true }, url, route };
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
      document.paths = { ...document.paths, '/admin/queues': bullBoardPath(options.adminToken) as never };
      return documentObject.openapiObject;
    },
  });
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    uiConfig: { deepLinking: true, tryItOutEnabled: true, validatorUrl: null, displayRequestDuration: true },
  });
}

export default fp(swaggerPlugin, { name: 'swagger' });
