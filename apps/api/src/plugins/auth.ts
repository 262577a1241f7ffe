// ADMIN_TOKEN checks: a Bearer token for the routes that start work, HTTP Basic (admin / token) for Bull
// Board, whose browser UI can only send Basic credentials. Without ADMIN_TOKEN both hooks let everything in.
// Wrong credentials are counted per client address (AuthThrottle, shared by both doors): an address past
// the allowance gets 429 before its credentials are looked at.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { ClientLimit, sendTooManyRequests } from '../security/client-limit.js';

export const BEARER_CHALLENGE = 'Bearer realm="autoconnect"';
export const BASIC_CHALLENGE = 'Basic realm="autoconnect admin", charset="UTF-8"';
export const ADMIN_USER = 'admin';

/** Wrong credentials an address may send in a window before it gets 429 (guessing the token takes ages). */
export const AUTH_FAILURES_ALLOWED = 10;
export const AUTH_FAILURE_WINDOW_MS = 60_000;

/** Failed authentication per client address, over every route that takes the admin token. */
export class AuthThrottle {
  private readonly failures: ClientLimit;

  constructor(app: FastifyInstance, allowed = AUTH_FAILURES_ALLOWED, windowMs = AUTH_FAILURE_WINDOW_MS) {
    this.failures = new ClientLimit(app, allowed, windowMs);
  }

  /** Answers 429 and returns true when `request`'s address has used up its failures for now. */
  async refused(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const state = await this.failures.peek(request);
    if (state.remaining > 0) return false;
    request.log.warn('authentication throttled: too many failures from this address');
    sendTooManyRequests(
      reply,
      state.resetSeconds,
      `too many failed authentication attempts from this address (at most ${this.failures.max} a minute)`,
    );
    return true;
  }

  async recordFailure(request: FastifyRequest): Promise<void> {
    await this.failures.take(request);
  }
}

/** Compares digests so the time taken says nothing about the token's length or content. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function deny(reply: FastifyReply, challenge: string, message: string): FastifyReply {
  // Answered here rather than thrown: Bull Board's routes have an error handler of their own.
  return reply
    .code(401)
    .header('WWW-Authenticate', challenge)
    .send({ statusCode: 401, error: 'Unauthorized', message });
}

function credentials(request: FastifyRequest, scheme: string): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space).toLowerCase() !== scheme) return null;
  return header.slice(space + 1).trim();
}

/** Credentials were sent and were wrong: counted (no Authorization header at all is not a guess). */
async function failed(request: FastifyRequest, throttle: AuthThrottle): Promise<void> {
  if (request.headers.authorization !== undefined) await throttle.recordFailure(request);
}

export function bearerAuth(token: string, throttle: AuthThrottle): onRequestHookHandler {
  return async function checkBearer(request, reply) {
    if (token === '') return;
    if (await throttle.refused(request, reply)) return reply;
    const given = credentials(request, 'bearer');
    if (given !== null && sameSecret(given, token)) return;
    await failed(request, throttle);
    if (given === null) return deny(reply, BEARER_CHALLENGE, 'missing credentials: send Authorization: Bearer <ADMIN_TOKEN>');
    return deny(reply, `${BEARER_CHALLENGE}, error="invalid_token"`, 'invalid bearer token');
  };
}

export function basicAuth(token: string, throttle: AuthThrottle): onRequestHookHandler {
  return async function checkBasic(request, reply) {
    if (token === '') return;
    if (await throttle.refused(request, reply)) return reply;
    const given = credentials(request, 'basic');
    const decoded = given === null ? null : Buffer.from(given, 'base64').toString('utf8');
    const colon = decoded?.indexOf(':') ?? -1;
    if (decoded !== null && colon >= 0) {
      const userOk = sameSecret(decoded.slice(0, colon), ADMIN_USER);
      const tokenOk = sameSecret(decoded.slice(colon + 1), token);
      if (userOk && tokenOk) return;
    }
    await failed(request, throttle);
    if (decoded === null || colon < 0) {
      return deny(reply, BASIC_CHALLENGE, `missing credentials: HTTP Basic with user '${ADMIN_USER}' and ADMIN_TOKEN`);
    }
    return deny(reply, BASIC_CHALLENGE, 'invalid credentials');
  };
}
