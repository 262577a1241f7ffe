// The OpenAPI document exactly as the API serves it at /docs/json, built without a server and without Redis:
// for the generated client (packages/api-client) and the OpenAPI lint. Every instance serves this same
// document, whatever its configuration.
import { createLogger, loadConfig } from '@autoconnect/config';
import { buildApp, type App } from './app.js';

/** An OpenAPI 3 document, as @fastify/swagger types it. */
export type OpenApiDocument = ReturnType<App['swagger']>;

/**
 * The app connects to no Redis while the document is built: port 0 is refused by the system at once, so
 * nothing is read from or written to any Redis, and no time is spent waiting for one.
 */
const NO_REDIS_URL = 'redis://127.0.0.1:0';

export async function openApiDocument(): Promise<OpenApiDocument> {
  const config = loadConfig({ REDIS_URL: NO_REDIS_URL, LOG_LEVEL: 'silent' });
  const app = await buildApp({ config, logger: createLogger('openapi', 'silent') });
  try {
    await app.ready();
    return app.swagger();
  } finally {
    await app.close();
  }
}
