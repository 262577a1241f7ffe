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
      return documentObject.openapiObject;
    },
  });
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    uiConfig: { deepLinking: true, tryItOutEnabled: true, validatorUrl: null, displayRequestDuration: true },
  });
}

export default fp(swaggerPlugin, { name: 'swagger' });
