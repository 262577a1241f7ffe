// The guard of every route that changes state (POST /api/process, cancelling a run, uploading a file). Such
// a route says `config: { changesState: true }` and gets, ahead of its own hooks:
//   onRequest   cross-site refusal (403) → failed-auth throttle (429) and bearer token (401) → the work limit
//               looked at (429 once the address has used it up: an upload is refused before its body is read)
// and after its own preHandlers (which check what the request names, e.g. that a source exists):
//   preHandler  the work limit counts the request (429 when it is one too many).
// So a request counts against RATE_LIMIT_PER_MINUTE only when it is about to do the route's work: requests
// refused for bad parameters, a missing file, credentials or content type never use up the limit.
// The route's OpenAPI schema gets the bearer scheme as its `security` and the answers 401, 403 and 429, unless
// it says otherwise: the document then says what this guard does, for every such route.
import fp from 'fastify-plugin';
import type { FastifyInstance, onRequestHookHandler, preHandlerHookHandler, RouteOptions } from 'fastify';
import { Type } from 'typebox';
import type { Config } from '@autoconnect/config';
import { CrossSiteRequestError } from '../errors/cross-site-request-error.js';
import { errorResponses } from '../schemas/responses.js';
import { ADMIN_TOKEN_SCHEME } from '../schemas/security.js';
import { ClientLimit, sendTooManyRequests } from '../security/client-limit.js';
import { crossSiteReason } from '../security/cross-site.js';
import { AuthThrottle, bearerAuth } from './auth.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route changes state: cross-site check, admin token, failed-auth throttle, RATE_LIMIT_PER_MINUTE. */
    changesState?: boolean;
  }
  interface FastifyInstance {
    /** Failed authentication per client address, shared by every route that takes the admin token. */
    authThrottle: AuthThrottle;
  }
}

const WORK_WINDOW_MS = 60_000;

/** What the guard answers, as documented on each route it guards. */
const GUARD_ANSWERS = errorResponses({
  401: {
    description: 'ADMIN_TOKEN is set and the bearer token is missing or wrong.',
    example: 'missing credentials: send Authorization: Bearer <ADMIN_TOKEN>',
    headers: { 'WWW-Authenticate': Type.String({ description: 'The Bearer challenge.', example: 'Bearer realm="autoconnect"' }) },
  },
  403: {
    description: 'A browser sent the request from a page of another site or origin.',
    example:
      'cross-site request refused (Sec-Fetch-Site: cross-site): this route changes state and accepts no request sent by a ' +
      "page of another origin; call it from a script or from this service's own pages",
  },
  429: {
    description:
      'Too many requests from this address (RATE_LIMIT_PER_MINUTE), or too many failed authentication attempts; ' +
      'Retry-After says when to retry.',
    example: 'too many requests to POST /api/process from this address (at most 30 a minute, RATE_LIMIT_PER_MINUTE); retry in 42 s',
    headers: { 'Retry-After': Type.Integer({ minimum: 0, description: 'Seconds to wait before retrying.', example: 42 }) },
  },
});

/** onRequest: 403 for a browser request sent by a page of another site or origin (see security/cross-site.ts). */
export const refuseCrossSite: onRequestHookHandler = (request, _reply, done) => {
  const reason = crossSiteReason(request.headers);
  if (reason !== null) request.log.warn({ reason }, 'cross-site request refused');
  done(reason === null ? undefined : new CrossSiteRequestError(reason));
};

function hooks<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The work limit of one route: looked at on arrival, counted once the request reaches the route's work. */
function workLimitHooks(limit: ClientLimit, route: string): { peek: onRequestHookHandler; count: preHandlerHookHandler } {
  const refusal = `too many requests to ${route} from this address (at most ${limit.max} a minute, RATE_LIMIT_PER_MINUTE)`;
  return {
    async peek(request, reply) {
      const state = await limit.peek(request);
      if (state.remaining > 0) return;
      return sendTooManyRequests(reply, state.resetSeconds, refusal);
    },
    async count(request, reply) {
      const state = await limit.take(request);
      if (!state.allowed) return sendTooManyRequests(reply, state.resetSeconds, refusal);
      reply.headers({
        'x-ratelimit-limit': String(limit.max),
        'x-ratelimit-remaining': String(state.remaining),
        'x-ratelimit-reset': String(state.resetSeconds),
      });
    },
  };
}

async function stateChangePlugin(app: FastifyInstance, options: { config: Config }): Promise<void> {
  const { ADMIN_TOKEN, RATE_LIMIT_PER_MINUTE } = options.config;
  const throttle = new AuthThrottle(app);
  app.decorate('authThrottle', throttle);
  const checkToken = bearerAuth(ADMIN_TOKEN, throttle);

  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.config?.changesState !== true) return;
    const name = `${hooks(route.method).join('|')} ${route.url}`;
    const onRequest: onRequestHookHandler[] = [refuseCrossSite, checkToken];
    const preHandler = hooks(route.preHandler);
    if (RATE_LIMIT_PER_MINUTE > 0) {
      const { peek, count } = workLimitHooks(new ClientLimit(app, RATE_LIMIT_PER_MINUTE, WORK_WINDOW_MS), name);
      onRequest.push(peek);
      preHandler.push(count);
    }
    route.onRequest = [...onRequest, ...hooks(route.onRequest)];
    route.preHandler = preHandler;

    const schema = (route.schema ??= {});
    schema.security ??= [{ [ADMIN_TOKEN_SCHEME]: [] }];
    const responses = (schema.response ??= {}) as Record<string, unknown>;
    for (const [code, answer] of Object.entries(GUARD_ANSWERS)) responses[code] ??= answer;
  });
}

export default fp(stateChangePlugin, { name: 'state-change', dependencies: ['security'] });
