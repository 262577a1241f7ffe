// The OpenAPI 3 document (/docs/json) built from the routes' TypeBox schemas, and Swagger UI at /docs.
// Registered before the routes so every route is collected; Bull Board and the UI's own routes stay out.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

export const DOCS_PREFIX = '/docs';

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
        { name: 'runs', description: 'Start a run and follow its progress.' },
        { name: 'health', description: 'Liveness and readiness.' },
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
    // Everything outside the API's own routes (Bull Board, static files) is left out of the document.
    transform: ({ schema, url, route }) => {
      const documented = url.startsWith('/api/') || url === '/health' || url === '/ready';
      return { schema: documented ? schema : { ...schema, hide: true }, url, route };
    },
  });
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    uiConfig: { deepLinking: true, tryItOutEnabled: true, validatorUrl: null, displayRequestDuration: true },
  });
}

export default fp(swaggerPlugin, { name: 'swagger' });
