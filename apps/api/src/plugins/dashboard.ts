// The dashboard at `/`: its HTML, CSS and ES modules (apps/api/public) and Chart.js's UMD build, served
// from the installed package so the page loads nothing from outside the service.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/** apps/api/public, from src/plugins (tests) as from dist/plugins (build). */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../public/', import.meta.url));
export const CHART_JS_PATH = '/vendor/chart.umd.min.js';
const CHART_JS_DIR = dirname(createRequire(import.meta.url).resolve('chart.js'));

/**
 * Stricter than the app-wide policy (which lets Bull Board fetch its web fonts): the dashboard needs nothing
 * but its own origin. Chart.js sizes its canvas through the CSSOM, which style-src does not govern.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
].join('; ');

export async function dashboardPlugin(app: FastifyInstance): Promise<void> {
  // Encapsulated: the policy applies to the dashboard's answers only.
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-security-policy', DASHBOARD_CSP);
    return payload;
  });
  // One route per file found at start (no wildcard), so unknown paths keep the API's 404 answer.
  await app.register(fastifyStatic, { root: DASHBOARD_DIR, prefix: '/', wildcard: false, index: 'index.html' });
  app.get(CHART_JS_PATH, { schema: { hide: true } }, (_request, reply) => reply.sendFile('chart.umd.min.js', CHART_JS_DIR));
}
