// Security headers for every answer (helmet's, computed once: see security/security-headers.ts) and the rate
// limiter's store, which only the limits of plugins/state-change.ts and the failed-auth throttle use.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { securityHeaders } from '../security/security-headers.js';

async function securityPlugin(app: FastifyInstance): Promise<void> {
  const headers = securityHeaders();
  // Set first thing, so every answer carries them, errors and 404s included; a scope may replace one
  // (the dashboard's stricter CSP).
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  await app.register(rateLimit, { global: false });
}

export default fp(securityPlugin, { name: 'security' });
