// Answers a results request from memory: 404 before any run completed, else the serialised variant with
// its run id and ETag, or 304 when the client already holds it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NoResultsError } from '../errors/no-results-error.js';
import type { ResultsView } from './results-view.js';
import { matchesIfNoneMatch, type SerializedBody } from './serialized-body.js';

export async function currentResults(app: FastifyInstance): Promise<ResultsView> {
  const view = await app.resultsCache.current();
  if (view === null) throw new NoResultsError();
  return view;
}

export function sendResults(request: FastifyRequest, reply: FastifyReply, view: ResultsView, body: SerializedBody): FastifyReply {
  reply.header('X-Run-Id', view.runId).header('ETag', body.etag).header('Cache-Control', 'no-cache');
  if (matchesIfNoneMatch(request.headers['if-none-match'], body.etag)) return reply.code(304).send();
  // Already JSON: a string with a JSON content type is sent as is, never serialised again.
  return reply.type('application/json; charset=utf-8').send(body.json);
}
