// Duration of every HTTP answer, by method, route pattern (never the raw URL: bounded label values) and status.
import { Histogram, type Registry } from 'prom-client';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Label of requests that matched no route (404 of the not-found handler). */
export const UNMATCHED_ROUTE = 'unmatched';

export class HttpMetrics {
  private readonly duration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(registry: Registry) {
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer HTTP requests, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  observe(request: FastifyRequest, reply: FastifyReply): void {
    this.duration.observe(
      { method: request.method, route: request.routeOptions.url ?? UNMATCHED_ROUTE, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  }
}
