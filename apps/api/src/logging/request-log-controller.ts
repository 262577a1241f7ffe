// Fastify's request log lines, one per answer at a level that says whether someone should look: server
// errors at error, slow answers at warn, refused requests (4xx) at info, everything else at debug (a
// dashboard's reads would otherwise fill the log). No "incoming request" line.
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/** An answer that took longer than this is logged at warn: nothing the API serves should take a second. */
export const SLOW_REQUEST_MS = 1_000;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The answer lasts as long as the client wants (an event stream, an upload): never "slow". */
    longLived?: boolean;
  }
}

export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  /** Said once by requestCompleted, with its status. */
  override routeNotFound(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    const { statusCode } = reply;
    const responseTimeMs = Math.round(reply.elapsedTime);
    const line = { method: request.method, url: request.url, statusCode, responseTimeMs };
    const slow = responseTimeMs >= SLOW_REQUEST_MS && request.routeOptions.config?.longLived !== true;
    if (error || statusCode >= 500) reply.log.error({ ...line, err: error ?? undefined }, 'request answered with a server error');
    else if (slow) reply.log.warn({ ...line, slowerThanMs: SLOW_REQUEST_MS }, 'slow request');
    else if (statusCode >= 400) reply.log.info(line, 'request refused');
    else reply.log.debug(line, 'request completed');
  }
}
