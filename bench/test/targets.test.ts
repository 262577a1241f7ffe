import { describe, expect, it } from '@jest/globals';
import type { FileReport, MethodSummary } from '../src/bench-report.js';
import type { HttpFigures } from '../src/product/http-load.js';
import type { CardinalityReport, ScalingReport } from '../src/scale-out.js';
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

const sameBytes = (apiUs: number, bareUs: number) => ({
  caMensuel: { ...load('/api/ca-mensuel', 900, 2), serverCpuUsPerAnswer: apiUs },
  health: load('/health', 1000, 2),
  connections: 100,
  seconds: 1,
  apiPeakRssBytes: 120 * MB,
  sameBytes: { caMensuel: { ...load('/api/ca-mensuel', 950, 2), serverCpuUsPerAnswer: bareUs }, health: load('/health', 1000, 2) },
});

const scaling = (speedups: Record<number, number>): ScalingReport => ({
  rows: 1e7,
  cores: 0.1,
  method: 'cgroup v1 cpu.cfs_quota_us',
  skipped: false,
  runs: Object.entries(speedups).map(([workers, speedup]) => ({ workers: Number(workers), seconds: 30 / speedup, firstRunSeconds: 33 / speedup, speedup, ranges: 72, cpuByRole: {}, equal: true })),
});

const cardinality = (seconds: number, followUp = 'completed'): CardinalityReport => ({
  cases: [
    { name: '100,000 villes (300,000 rows), default MAX_VILLES', env: {}, expected: 'failed', status: 'failed', seconds, error: 'more than 10000 distinct villes (MAX_VILLES=10000)', rolePeaks: { worker: 120 * MB }, redisPeakBytes: MB, followUp: { status: followUp, seconds: 1 } },
    { name: '100,000 villes, MAX_VILLES=200000', env: { MAX_VILLES: '200000' }, expected: 'completed', status: 'completed', seconds, rolePeaks: { aggregator: 200 * MB }, redisPeakBytes: MB },
  ],
});

describe('checkTargets', () => {
  it('passes every target when the product beats them, judged on the largest file', () => {
    const large = { ...file(1e7, 2, 4, 40, 12, { worker: 150, api: 200 }), http: sameBytes(20, 15) };
    large.summary.push(summary('product-1w', 3), summary('product-2w', 1.8));
    const files = [file(1e6, 9, 1, 1, 10, { worker: 100 }), large];
    const checks = checkTargets(files, 'product-3w', scaling({ 1: 1, 2: 1.9, 8: 6.5 }), cardinality(5));
    expect(checks.filter((c) => c.met !== true)).toEqual([]);
    expect(checks.find((c) => c.target.includes('DuckDB'))?.measured).toBe('2.00 s vs 4.00 s = 0.50×');
    expect(checks.find((c) => c.target.includes('2 workers ≤ 0.65×'))?.measured).toBe('1.80 s vs 3.00 s = 0.60×');
    expect(checks.find((c) => c.target.startsWith('8 workers'))?.measured).toBe('30.00 s vs 4.62 s = 6.50×');
    expect(checks.find((c) => c.target.includes('CPU per answer'))?.measured).toBe('20.0 µs vs 15.0 µs = 1.33×');
    expect(checks.find((c) => c.target.includes('p99 < 20 ms'))?.measured).toBe('2 ms (a bare node:http server sending the same bytes: 2 ms)');
    expect(checks.find((c) => c.target.includes('p99 ≤ 1.5×'))?.measured).toBe('2 ms vs 2 ms = 1.00×');
    expect(checks.map((c) => c.target)).not.toContainEqual(expect.stringContaining('req/s of GET /health'));
  });

  it('fails each target that is missed, and says by how much', () => {
    const large = { ...file(1e7, 4, 3, 30, 300, { worker: 301 }), http: { ...sameBytes(40, 15), caMensuel: { ...load('/api/ca-mensuel', 700, 20), serverCpuUsPerAnswer: 40 } } };
    large.summary.push(summary('product-1w', 3), summary('product-2w', 2.5));
    const files = [file(1e6, 1, 1, 1, 50, { worker: 100 }), large];
    const checks = checkTargets(files, 'product-3w', scaling({ 1: 1, 2: 1.5, 8: 4 }), cardinality(12, 'failed'));
    const missed = checks.filter((c) => c.met === false).map((c) => c.target);
    expect(missed).toEqual(expect.arrayContaining([
      expect.stringContaining('DuckDB'),
      expect.stringContaining('naive'),
      expect.stringContaining('2 workers ≤ 0.65×'),
      expect.stringContaining('≤ 16 MB'),
      expect.stringContaining('300 MB RSS (VmHWM'),
      expect.stringContaining('8 workers ≥ 6×'),
      expect.stringContaining('2 workers ≥ 1.8×'),
      expect.stringContaining('default MAX_VILLES'),
      expect.stringContaining('CPU per answer'),
      expect.stringContaining('p99 < 20 ms'),
      expect.stringContaining('p99 ≤ 1.5×'),
    ]));
    expect(checks.find((c) => c.target.includes('DuckDB'))?.measured).toBe('4.00 s vs 3.00 s = 1.33×');
  });

  it('says the scale-out runs were skipped, and why, where no cgroup can be written', () => {
    const checks = checkTargets([file(2e4, 1, 1, 1, 1, { api: 100 })], 'product-3w', { rows: 2e4, cores: 0.1, method: 'no cgroup here', skipped: true, runs: [] });
    expect(checks.find((c) => c.target.startsWith('scale-out runs'))).toMatchObject({ met: null, measured: 'skipped: no cgroup here' });
  });

  it('leaves out the HTTP checks without load figures', () => {
    const checks = checkTargets([file(2e4, 1, 1, 1, 1, { api: 100 })], 'product-3w');
    expect(checks.map((c) => c.target)).not.toContainEqual(expect.stringContaining('/api/ca-mensuel'));
  });
});
