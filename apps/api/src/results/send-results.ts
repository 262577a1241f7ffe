// Answers a results request from memory: 404 before any run completed, else the serialised variant (in the
// client's preferred coding) with its run id and ETag, or 304 when the client already holds it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NoResultsError } from '../errors/no-results-error.js';
import { preferredCoding } from './content-coding.js';
import type { ResultsView } from './results-view.js';
import type { SerializedBody } from './serialized-body.js';

export async function currentResults(app: FastifyInstance): Promise<ResultsView> {
  const view = await app.resultsCache.current();
  if (view === null) throw new NoResultsError();
  return view;
}

export function sendResults(request: FastifyRequest, reply: FastifyReply, body: SerializedBody): FastifyReply {
  const form = body.as(preferredCoding(request.headers['accept-encoding']));
  if (body.matches(request.headers['if-none-match'])) return reply.code(304).headers(form.notModified).send();
  // Bytes with their length and type already set: Fastify neither serialises nor measures them again.
  return reply.headers(form.ok).send(form.bytes);
}
