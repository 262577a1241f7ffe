// Response maps shared by routes: the results endpoints' headers and their 200/304/400/404 answers.
import { Type, type TSchema } from 'typebox';
import { ErrorSchema } from './error.js';

/** Headers of every results answer, documented on its 200 and 304. */
export const ResultHeaders = {
  'X-Run-Id': Type.String({ description: 'Id of the run whose results these are.' }),
  ETag: Type.String({ description: 'Entity tag of this body; send it back in If-None-Match to get 304.' }),
};

/** A schema with OpenAPI annotations (response description and headers) that @fastify/swagger reads. */
export function documented<T extends TSchema>(schema: T, description: string, headers?: Record<string, TSchema>): T {
  return { ...schema, description, ...(headers ? { headers } : {}) };
}

export function errorResponse(description: string) {
  return documented(ErrorSchema, description);
}

/** The 503 of a route that needs Redis. */
export function redisUnavailableResponse(what = '') {
  return errorResponse(`Redis does not answer (within REDIS_COMMAND_TIMEOUT_MS) or cannot be reached${what}; the message says which. Try again shortly.`);
}

export function resultsResponses<T extends TSchema>(ok: T) {
  return {
    200: documented(ok, 'The metrics of the last completed run.', ResultHeaders),
    304: documented(Type.Null(), 'Not modified: If-None-Match holds the current ETag.', ResultHeaders),
    400: errorResponse('A parameter is invalid; the message says what is allowed.'),
    404: errorResponse('"no results yet" before any run completed, or an unknown ville (named in the message).'),
    503: redisUnavailableResponse(', and this API holds no results in memory (results it holds are served whatever Redis does)'),
  };
}
