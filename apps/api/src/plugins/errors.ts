// How failures answer: Fastify's error shape everywhere, the validation messages of the strict compiler,
// and for 5xx a generic message (details go to the log only, never a stack trace to the client).
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { printable } from '../errors/printable.js';
import { RedisUnavailableError } from '../errors/redis-unavailable-error.js';

/** Longest message of a 4xx answer: values in it are bounded already; this bounds the framework's own. */
const MESSAGE_LENGTH = 1_000;

function reason(statusCode: number): string {
  return STATUS_CODES[statusCode] ?? 'Error';
}

/**
 * Fastify's `frameworkErrors`: what the router refuses before any route is found (a URL that is not valid
 * percent-encoding, 400; a path parameter longer than `maxParamLength`, 414) answers in the same shape as
 * every other error, its message bounded like theirs (the router's own would repeat the whole path).
 */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const statusCode = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  void reply.code(statusCode).send({ statusCode, error: reason(statusCode), message: printable(error.message, MESSAGE_LENGTH) });
}

async function errorsPlugin(app: FastifyInstance, options: { redisCommandTimeoutMs: number }): Promise<void> {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // Redis silent or away: the client is told so, and may retry (the details are in the log, once per request).
    const unavailable = RedisUnavailableError.from(error, options.redisCommandTimeoutMs);
    if (unavailable) {
      request.log.warn({ err: error }, 'request failed: redis unavailable');
      return reply.code(503).send({ statusCode: 503, error: reason(503), message: unavailable.message });
    }
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
    return reply.code(statusCode).send({ statusCode, error: reason(statusCode), message: printable(error.message, MESSAGE_LENGTH) });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no route ${request.method} ${printable(request.url.split('?')[0])}` }),
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
