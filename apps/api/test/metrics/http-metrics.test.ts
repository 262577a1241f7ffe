// The HTTP duration histogram counted by hand must print exactly what prom-client's Histogram prints.
import { describe, expect, it } from '@jest/globals';
import { Histogram, Registry } from 'prom-client';
import { HTTP_DURATION_BUCKETS, HTTP_DURATION_HELP, HTTP_DURATION_NAME, HttpMetrics } from '../../src/metrics/http-metrics.js';

function reference(): { registry: Registry; histogram: Histogram<'method' | 'route' | 'status_code'> } {
  const registry = new Registry();
  const histogram = new Histogram({
    name: HTTP_DURATION_NAME,
    help: HTTP_DURATION_HELP,
    labelNames: ['method', 'route', 'status_code'],
    buckets: [...HTTP_DURATION_BUCKETS],
    registers: [registry],
  });
  return { registry, histogram };
}

describe('HttpMetrics', () => {
  it('prints the same exposition and JSON as prom-client for the same observations', async () => {
    const ours = new Registry();
    const http = new HttpMetrics(ours);
    const { registry, histogram } = reference();
    expect(await ours.metrics()).toBe(await registry.metrics());

    // Values on bounds, between them, above the last, zero; sums that are not exact in binary; label sets
    // interleaved, a route with two statuses and two methods.
    const observations: Array<[string, string, number, number]> = [
      ['GET', '/api/ca-mensuel', 200, 0.0001],
      ['GET', '/health', 200, 0.001],
      ['GET', '/api/ca-mensuel', 200, 0.1],
      ['GET', '/api/ca-mensuel', 304, 0.2],
      ['GET', 'unmatched', 404, 0.0010001],
      ['POST', '/api/process', 202, 10],
      ['GET', '/api/ca-mensuel', 200, 0.3],
      ['GET', '/health', 200, 12.5],
      ['HEAD', '/health', 200, 0],
      ['POST', '/api/process', 202, 2.5000001],
      ['GET', '/api/ca-mensuel', 200, 0.005],
    ];
    for (const [method, route, status, seconds] of observations) {
      http.record(method, route, status, seconds);
      histogram.observe({ method, route, status_code: String(status) }, seconds);
    }
    const text = await ours.metrics();
    expect(text).toBe(await registry.metrics());
    expect(text).toContain('http_request_duration_seconds_sum{method="GET",route="/api/ca-mensuel",status_code="200"} 0.4051');
    expect(text).toContain('http_request_duration_seconds_bucket{le="0.1",method="GET",route="/api/ca-mensuel",status_code="200"} 3');
    expect(await ours.getMetricsAsJSON()).toEqual(
      (await registry.getMetricsAsJSON()).map((metric) => ({
        ...metric,
        values: metric.values.map(({ exemplar: _exemplar, ...value }: { exemplar?: unknown }) => value),
      })),
    );
  });

  it('refuses a duration that is not a finite number, as prom-client does, and counts nothing for it', async () => {
    const registry = new Registry();
    const http = new HttpMetrics(registry);
    expect(() => http.record('GET', '/health', 200, Number.NaN)).toThrow(TypeError);
    expect(await registry.metrics()).not.toContain('_count');
  });
});
