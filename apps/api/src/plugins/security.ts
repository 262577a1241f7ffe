// Security headers for every answer (Swagger UI and Bull Board load only same-origin scripts, so the
// default CSP fits them) and the rate limiter, which only routes that opt in use (POST /api/process).
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';

async function securityPlugin(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        // The service is usually reached over plain HTTP on a private network: upgrading its asset
        // requests to HTTPS would break Swagger UI and Bull Board there.
        'upgrade-insecure-requests': null,
      },
    },
  });
  await app.register(rateLimit, { global: false });
}

export default fp(securityPlugin, { name: 'security' });
