// A number of events allowed per client address in a fixed window, on @fastify/rate-limit's store (its
// createRateLimit): looked at without counting (`peek`), or counted (`take`). The 429 answer that goes with it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

export interface ClientLimitState {
  /** Events the address may still have in the current window. */
  remaining: number;
  /** Seconds until the window ends (at least 1 while exhausted). */
  resetSeconds: number;
}

export class ClientLimit {
  private readonly limiter: Limiter;

  /** Per address as Fastify sees it (`request.ip`; IPv6 by /64), in memory, per API process. */
  constructor(
    app: FastifyInstance,
    readonly max: number,
    readonly windowMs: number,
  ) {
    this.limiter = app.createRateLimit({ max, timeWindow: windowMs });
  }

  /** The address's state, without counting anything. */
  async peek(request: FastifyRequest): Promise<ClientLimitState> {
    return this.state(await this.limiter(request, { increment: false }));
  }

  /** Counts one event for the address; `allowed` is false when it was one too many for the window. */
  async take(request: FastifyRequest): Promise<ClientLimitState & { allowed: boolean }> {
    const result = await this.limiter(request);
    const state = this.state(result);
    return { ...state, allowed: result.isAllowed || !result.isExceeded };
  }

  private state(result: Awaited<ReturnType<Limiter>>): ClientLimitState {
    if (result.isAllowed) return { remaining: this.max, resetSeconds: 0 };
    return { remaining: result.remaining, resetSeconds: Math.max(1, result.ttlInSeconds) };
  }
}

/** Answers 429 with Retry-After (sent here, not thrown: Bull Board's scope has an error handler of its own). */
export function sendTooManyRequests(reply: FastifyReply, retryAfterSeconds: number, message: string): FastifyReply {
  return reply
    .code(429)
    .header('retry-after', String(retryAfterSeconds))
    .send({ statusCode: 429, error: 'Too Many Requests', message: `${message}; retry in ${retryAfterSeconds} s` });
}
