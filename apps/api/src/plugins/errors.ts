// How failures answer: Fastify's error shape everywhere, the validation messages of the strict compiler,
// and for 5xx a generic message (details go to the log only, never a stack trace to the client).
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance } from 'fastify';
import { STATUS_CODES } from 'node:http';

function reason(statusCode: number): string {
  return STATUS_CODES[statusCode] ?? 'Error';
}

async function errorsPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const statusCode = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(statusCode).send({
        statusCode,
        error: reason(statusCode),
        message: statusCode === 503 ? 'service unavailable, try again shortly' : 'internal error',
      });
    }
    // Rate-limit answers carry headers set before the error; everything else only needs the body.
    return reply.code(statusCode).send({ statusCode, error: reason(statusCode), message: error.message });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
  );

  // An empty body sent with Content-Type: application/json (curl -H, Swagger UI) means "no body", as an
  // absent one does, instead of Fastify's 400 for empty JSON.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, text, done) => {
    const body = typeof text === 'string' ? text : text.toString('utf8');
    if (body.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body));
    } catch {
      const error = new Error('body is not valid JSON') as FastifyError;
      error.statusCode = 400;
      done(error, undefined);
    }
  });
}

export default fp(errorsPlugin, { name: 'errors' });
