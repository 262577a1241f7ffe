// ADMIN_TOKEN checks: a Bearer token for the routes that start work, HTTP Basic (admin / token) for Bull
// Board, whose browser UI can only send Basic credentials. Without ADMIN_TOKEN both hooks let everything in.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';

export const BEARER_CHALLENGE = 'Bearer realm="autoconnect"';
export const BASIC_CHALLENGE = 'Basic realm="autoconnect admin", charset="UTF-8"';
export const ADMIN_USER = 'admin';

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

export function bearerAuth(token: string): onRequestHookHandler {
  return function checkBearer(request, reply, done) {
    if (token === '') return done();
    const given = credentials(request, 'bearer');
    if (given === null) return deny(reply, BEARER_CHALLENGE, 'missing credentials: send Authorization: Bearer <ADMIN_TOKEN>');
    if (!sameSecret(given, token)) return deny(reply, `${BEARER_CHALLENGE}, error="invalid_token"`, 'invalid bearer token');
    done();
  };
}

export function basicAuth(token: string): onRequestHookHandler {
  return function checkBasic(request, reply, done) {
    if (token === '') return done();
    const given = credentials(request, 'basic');
    const decoded = given === null ? null : Buffer.from(given, 'base64').toString('utf8');
    const colon = decoded?.indexOf(':') ?? -1;
    if (decoded === null || colon < 0) {
      return deny(reply, BASIC_CHALLENGE, `missing credentials: HTTP Basic with user '${ADMIN_USER}' and ADMIN_TOKEN`);
    }
    const userOk = sameSecret(decoded.slice(0, colon), ADMIN_USER);
    const tokenOk = sameSecret(decoded.slice(colon + 1), token);
    if (!userOk || !tokenOk) return deny(reply, BASIC_CHALLENGE, 'invalid credentials');
    done();
  };
}
