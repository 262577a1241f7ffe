import { describe, expect, it } from '@jest/globals';
import type { FileReport, MethodSummary } from '../src/bench-report.js';
import type { HttpFigures } from '../src/product/http-load.js';
import { checkTargets } from '../src/targets.js';

const MB = 2 ** 20;

function summary(method: string, medianSeconds: number, extra: Partial<MethodSummary> = {}): MethodSummary {
  return {
    method,
    label: method,
    runs: 1,
    medianSeconds,
    minSeconds: medianSeconds,
    maxSeconds: medianSeconds,
    rowsPerSecond: 1,
    timeRatioToProduct: 1,
    allEqual: true,
    peakRssBytes: 100 * MB,
    cpuSeconds: null,
    ...extra,
  };
}

function file(rows: number, product: number, duckdb: number, naive: number, redisMb: number, rolePeaksMb: Record<string, number>): FileReport {
  return {
    rows,
    bytes: rows * 60,
    file: `f-${rows}.csv`,
    measurements: [],
    summary: [summary('product-3w', product, { redisRunPeakBytes: redisMb * MB }), summary('duckdb', duckdb), summary('naive-fast-csv', naive)],
    rolePeaks: Object.fromEntries(Object.entries(rolePeaksMb).map(([role, mb]) => [role, mb * MB])),
  };
}

const load = (path: string, requestsPerSecond: number, p99Ms: number): HttpFigures => ({
  path,
  requestsPerSecond,
  p50Ms: 1,
  p99Ms,
  responseBytes: 10,
  requests: requestsPerSecond,
  non2xx: 0,
  errors: 0,
  serverCpuUsPerAnswer: 20,
  clientCpuUsPerAnswer: 30,
  serverCoresBusy: 0.75,
  clientCoresBusy: 0.99,
});

const http = (ca: number, health: number, p99Ms = 2): FileReport['http'] => ({
  caMensuel: load('/api/ca-mensuel', ca, p99Ms),
  health: load('/health', health, 2),
  connections: 100,
  seconds: 1,
  apiPeakRssBytes: 120 * MB,
});

describe('checkTargets', () => {
  it('passes every target when the product beats them, judged on the largest file', () => {
    const files = [file(1e6, 9, 1, 1, 100, { worker: 100 }), { ...file(1e7, 2, 3, 40, 120, { worker: 150, api: 200 }), http: http(900, 1000) }];
    const checks = checkTargets(files, 'product-3w');
    expect(checks.map((c) => c.met)).toEqual([true, true, true, true, true, true, true]);
    expect(checks[6].measured).toBe('2 ms');
    expect(checks[3].measured).toBe('100 MB → 120 MB = 1.20×');
  });

  it('reads the ratio against the same answers from a bare node:http server when measured', () => {
    const withSameBytes = { ...http(700, 1000)!, sameBytes: { caMensuel: load('/api/ca-mensuel', 450, 2), health: load('/health', 1000, 2) } };
    const checks = checkTargets([{ ...file(1e7, 2, 3, 40, 120, { worker: 150 }), http: withSameBytes }], 'product-3w');
    const ratio = checks.find((c) => c.target.includes('0.8×'));
    expect(ratio?.measured).toBe(
      '700 vs 1000 req/s = 0.70× (cores busy: API 0.75, autocannon 0.99); a bare node:http server sending the same two answers: 0.45×',
    );
    expect(ratio?.met).toBe(false);
  });

  it('fails each target that is missed, and says by how much', () => {
    const files = [file(1e6, 1, 1, 1, 50, { worker: 100 }), { ...file(1e7, 4, 3, 30, 300, { worker: 301 }), http: http(700, 1000, 20) }];
    const checks = checkTargets(files, 'product-3w');
    expect(checks.map((c) => c.met)).toEqual([false, false, false, false, false, false, false]);
    expect(checks[0].measured).toBe('4.00 s vs 3.00 s = 1.33×');
    expect(checks[1].measured).toBe('30.00 s vs 4.00 s = 7.5×');
    expect(checks[5].measured).toBe('700 vs 1000 req/s = 0.70× (cores busy: API 0.75, autocannon 0.99)');
    expect(checks[6].measured).toBe('20 ms');
  });

  it('leaves out the growth check with one file and the HTTP check without load figures', () => {
    const checks = checkTargets([file(2e4, 1, 1, 1, 1, { api: 100 })], 'product-3w');
    expect(checks.map((c) => c.target)).not.toContainEqual(expect.stringContaining('within 1.5×'));
    expect(checks.map((c) => c.target)).not.toContainEqual(expect.stringContaining('/api/ca-mensuel'));
  });
});
