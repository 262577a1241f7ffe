// Answers a results request from memory: 404 before any run completed, else the serialised variant (in the
// client's preferred coding) with its run id and ETag, or 304 when the client already holds it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NoResultsError } from '../errors/no-results-error.js';
import { RedisUnavailableError } from '../errors/redis-unavailable-error.js';
import { preferredCoding } from './content-coding.js';
import type { ResultsView } from './results-view.js';
import type { SerializedBody } from './serialized-body.js';

export function sendResults(request: FastifyRequest, reply: FastifyReply, body: SerializedBody): void {
  const form = body.as(preferredCoding(request.headers['accept-encoding']));
  if (body.matches(request.headers['if-none-match'])) {
    reply.code(304).headers(form.notModified).send();
    return;
  }
  // Bytes with their length and type already set: Fastify neither serialises nor measures them again.
  reply.headers(form.ok).send(form.bytes);
}

/**
 * A results route's handler body: with results in memory (the usual case) it answers at once, without a
 * promise; only while none are loaded does it wait for Redis (503 when Redis is away or silent). `variant`
 * picks the body from the view (and throws the 404 of an unknown city, which Fastify sends either way).
 */
export function answerResults(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  variant: (view: ResultsView) => SerializedBody,
): Promise<void> | undefined {
  const view = app.resultsCache.peek();
  if (view !== null) {
    sendResults(request, reply, variant(view));
    return undefined;
  }
  // Nothing held and Redis away: say so at once rather than queue a read for when it is back.
  if (app.redisAvailability.lost) return Promise.reject(RedisUnavailableError.unreachable());
  return app.resultsCache.current().then((loaded) => {
    if (loaded === null) throw new NoResultsError();
    sendResults(request, reply, variant(loaded));
  });
}
