// Duration of every HTTP answer, by method, route pattern (never the raw URL: bounded label values) and status.
//
// Observed on every request, so counted here in plain arrays found through Maps of values that are the same
// objects on every request (the route's pattern, the parser's method name, the status number), and handed
// to the registry as a histogram only when scraped. prom-client's Histogram.observe would build and look up
// a label-hash string and its buckets by number-keyed properties on each request; the exposition it would
// print is the same as this one's (a test compares the two).
// Kept over prom-client's Histogram: over 10 % less API CPU per answer (bench/results/findings.md, issue 16).
import type { Metric, Registry } from 'prom-client';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Label of requests that matched no route (404 of the not-found handler). */
export const UNMATCHED_ROUTE = 'unmatched';

export const HTTP_DURATION_NAME = 'http_request_duration_seconds';
export const HTTP_DURATION_HELP = 'Time to answer HTTP requests, by method, route pattern and status code.';
export const HTTP_DURATION_BUCKETS: readonly number[] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type HttpLabels = { method: string; route: string; status_code: string };

/** One label set: observations per bucket (not cumulative; the last slot is above every bound), sum, count. */
interface Series {
  labels: HttpLabels;
  perBucket: number[];
  sum: number;
  count: number;
}

/** A sample as prom-client's registry formats it (the histogram shape of prom-client's own Histogram). */
interface Sample {
  labels: Record<string, string | number>;
  sharedLabels: HttpLabels;
  value: number;
  metricName: string;
}

export class HttpMetrics {
  readonly name = HTTP_DURATION_NAME;
  readonly help = HTTP_DURATION_HELP;
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  /** route → status → method → series; the series in the order first seen, as the exposition lists them. */
  private readonly index = new Map<string, Map<number, Map<string, Series>>>();
  private readonly series: Series[] = [];

  constructor(registry: Registry) {
    // The registry only reads name, help, type and getForPromString/get, which this class has.
    registry.registerMetric(this as unknown as Metric);
  }

  observe(request: FastifyRequest, reply: FastifyReply): void {
    this.record(request.method, request.routeOptions.url ?? UNMATCHED_ROUTE, reply.statusCode, reply.elapsedTime / 1000);
  }

  /** Counts one answer of `seconds`. */
  record(method: string, route: string, statusCode: number, seconds: number): void {
    if (!Number.isFinite(seconds)) throw new TypeError(`Value is not a valid number: ${seconds}`);
    let byStatus = this.index.get(route);
    if (byStatus === undefined) this.index.set(route, (byStatus = new Map()));
    let byMethod = byStatus.get(statusCode);
    if (byMethod === undefined) byStatus.set(statusCode, (byMethod = new Map()));
    let series = byMethod.get(method);
    if (series === undefined) {
      series = {
        labels: { method, route, status_code: String(statusCode) },
        perBucket: new Array<number>(HTTP_DURATION_BUCKETS.length + 1).fill(0),
        sum: 0,
        count: 0,
      };
      byMethod.set(method, series);
      this.series.push(series);
    }
    let bucket = 0;
    while (bucket < HTTP_DURATION_BUCKETS.length && seconds > HTTP_DURATION_BUCKETS[bucket]) bucket += 1;
    series.perBucket[bucket] += 1;
    series.sum += seconds;
    series.count += 1;
  }

  /** What the registry prints: per label set, the cumulative buckets, +Inf, _sum and _count. */
  async getForPromString(): Promise<{ name: string; help: string; type: string; values: Sample[]; aggregator: string }> {
    const values: Sample[] = [];
    const bucketName = `${this.name}_bucket`;
    for (const { labels, perBucket, sum, count } of this.series) {
      let cumulative = 0;
      HTTP_DURATION_BUCKETS.forEach((le, i) => {
        cumulative += perBucket[i];
        values.push({ labels: { le }, sharedLabels: labels, value: cumulative, metricName: bucketName });
      });
      values.push({ labels: { le: '+Inf' }, sharedLabels: labels, value: count, metricName: bucketName });
      values.push({ labels: {}, sharedLabels: labels, value: sum, metricName: `${this.name}_sum` });
      values.push({ labels: {}, sharedLabels: labels, value: count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** The same samples with each label set merged into its labels (prom-client's JSON form). */
  async get(): Promise<{ name: string; help: string; type: string; values: Omit<Sample, 'sharedLabels'>[]; aggregator: string }> {
    const metric = await this.getForPromString();
    return {
      ...metric,
      values: metric.values.map(({ labels, sharedLabels, ...sample }) => ({ ...sample, labels: { ...labels, ...sharedLabels } })),
    };
  }

  reset(): void {
    this.index.clear();
    this.series.length = 0;
  }
}
