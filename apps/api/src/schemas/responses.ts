// Response maps shared by routes: the error answers (one schema per status, with an example taken from a
// real answer), the results endpoints' headers and their 200/304/400/404/503 answers.
import { STATUS_CODES } from 'node:http';
import { Type, type TSchema } from 'typebox';
import { ErrorSchema } from './error.js';

/** Headers of every results answer, documented on its 200 and 304. */
export const ResultHeaders = {
  'X-Run-Id': Type.String({ description: 'Id of the run whose results these are.', example: '1pL3EumfjyY4LLOvQoDYa' }),
  ETag: Type.String({
    description: 'Entity tag of this body; send it back in If-None-Match to get 304.',
    example: '"1pL3EumfjyY4LLOvQoDYa-q651YN3RQcRQcVZC"',
  }),
};

/** A schema with OpenAPI annotations (response description and headers) that @fastify/swagger reads. */
export function documented<T extends TSchema>(schema: T, description: string, headers?: Record<string, TSchema>): T {
  return { ...schema, description, ...(headers ? { headers } : {}) };
}

/**
 * A success answer in another media type than JSON (Prometheus text, an event stream, a page): its errors stay
 * JSON, so the media type is given per answer rather than for the whole route (`produces`).
 */
export function documentedMedia(mediaType: string, schema: TSchema, description: string, example: string) {
  return { description, content: { [mediaType]: { schema: { ...schema, description }, example } } };
}

/**
 * An error answer in Fastify's shape, whatever its status, without an example. Routes use
 * {@link errorResponses}; this stays so that a route written before it still builds, and
 * test/openapi-conventions.test.ts then says what its answers lack.
 */
export function errorResponse(description: string) {
  return documented(ErrorSchema, description);
}

/** What one error answer of a route means, and a message it really answers with (the document's example). */
export interface ErrorAnswer {
  description: string;
  example: string;
  headers?: Record<string, TSchema>;
}

/** Fastify's error shape for one status: that status, its reason phrase, and a real message as the example. */
function errorBody<S extends number>(statusCode: S, { description, example, headers }: ErrorAnswer) {
  const error = STATUS_CODES[statusCode] ?? 'Error';
  const schema = Type.Object(
    {
      statusCode: Type.Literal(statusCode, { description: 'HTTP status code, repeated in the body.' }),
      error: Type.Literal(error, { description: 'HTTP reason phrase.' }),
      message: Type.String({ description: 'What is wrong and, for bad input, what is allowed.' }),
    },
    { examples: [{ statusCode, error, message: example }] },
  );
  return documented(schema, description, headers);
}

/**
 * The error answers of a route, status by status: Fastify's shape with that status and its reason phrase,
 * described and with a real message as the example. Spread it into a route's `response`.
 */
export function errorResponses<const A extends Record<number, ErrorAnswer>>(answers: A): { [K in keyof A]: ReturnType<typeof errorBody<K & number>> } {
  return Object.fromEntries(Object.entries(answers).map(([code, answer]) => [code, errorBody(Number(code), answer)])) as {
    [K in keyof A]: ReturnType<typeof errorBody<K & number>>;
  };
}

/** The 400 of a route that takes no query parameter: like every route, it refuses the ones it does not know. */
export const unknownParameterAnswer: ErrorAnswer = {
  description: 'A query parameter was sent: this route takes none (unknown parameters are refused, not ignored).',
  example: "unknown query parameter 'verbose'; allowed: none",
};

/** The 503 of a route that needs Redis. */
export function redisUnavailableAnswer(what = ''): ErrorAnswer {
  return {
    description: `Redis does not answer (within REDIS_COMMAND_TIMEOUT_MS) or cannot be reached${what}; the message says which. Try again shortly.`,
    example: 'Redis did not answer within 2000 ms (REDIS_COMMAND_TIMEOUT_MS); try again shortly',
  };
}

/** The 414 of a route with a path parameter: the router refuses a parameter longer than 256 characters. */
export const uriTooLongAnswer: ErrorAnswer = {
  description: 'A path parameter is longer than 256 characters.',
  example: "'/api/files/aaaaaaaa…' is exceeding the max param length",
};

export function resultsResponses<T extends TSchema>(ok: T) {
  return {
    200: documented(ok, 'The metrics of the last completed run.', ResultHeaders),
    304: documented(Type.Null(), 'Not modified: If-None-Match holds the current ETag.', ResultHeaders),
    ...errorResponses({
      400: {
        description: 'A parameter is invalid, given twice or unknown; the message says what is allowed.',
        example: 'invalid query parameter limit="0": expected an integer from 1 to 100 (default 5): how many models per city.',
      },
      404: {
        description: '"no results yet" before any run completed, or an unknown ville (named in the message).',
        example: "unknown ville 'Nowhere': not in the current results (see GET /api/villes)",
      },
      503: redisUnavailableAnswer(', and this API holds no results in memory (results it holds are served whatever Redis does)'),
    }),
  };
}

/** The 503 of a route that needs Redis, as one response (routes spread `errorResponses({ 503: redisUnavailableAnswer() })`). */
export function redisUnavailableResponse(what = '') {
  return errorBody(503, redisUnavailableAnswer(what));
}
