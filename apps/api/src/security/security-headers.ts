// The security headers of every answer, as helmet makes them: computed once at start by running helmet's
// middleware against a recording response, so each request only copies a ready object instead of
// rebuilding the middleware and re-serialising its policies.
// Kept over @fastify/helmet: over 10 % less API CPU per answer (bench/results/findings.md, issue 16).
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's defaults, CSP included (Swagger UI and Bull Board load only same-origin scripts). The service is
 * usually reached over plain HTTP on a private network: `upgrade-insecure-requests` would break both UIs there.
 */
export const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null } },
};

export type HeaderSet = Readonly<Record<string, string>>;

/** Header name (lower case) → value, as helmet's middleware sets them with `options`. */
export function securityHeaders(options: HelmetOptions = HELMET_OPTIONS): HeaderSet {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  // The middleware only reads its options (no function-valued directive here), never the request.
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    failure = err;
  });
  if (failure) throw failure;
  return Object.freeze(headers);
}
