// The targets, checked on the largest file measured (Redis growth: smallest file vs largest).
import type { FileReport, TargetCheck } from './bench-report.js';
import { requestsRatio, type HttpFigures } from './product/http-load.js';

const MB = 2 ** 20;
const ROLE_RSS_LIMIT = 300 * MB;
const REDIS_LIMIT = 256 * MB;
const P99_LIMIT_MS = 20;

/** Which side was busy while the results endpoint was loaded: the one near a whole core set the rate. */
function busyNote(f: HttpFigures): string {
  if (f.serverCoresBusy === null) return '';
  return ` (cores busy: API ${f.serverCoresBusy.toFixed(2)}, autocannon ${f.clientCoresBusy.toFixed(2)})`;
}

export function checkTargets(files: FileReport[], productMethod: string): TargetCheck[] {
  if (files.length === 0) return [];
  const largest = files.reduce((a, b) => (b.rows > a.rows ? b : a));
  const smallest = files.reduce((a, b) => (b.rows < a.rows ? b : a));
  const find = (file: FileReport, method: string) => file.summary.find((s) => s.method === method);
  const product = find(largest, productMethod);
  const duckdb = find(largest, 'duckdb');
  const naive = find(largest, 'naive-fast-csv');
  const rows = `${largest.rows.toLocaleString('en')} rows`;
  const checks: TargetCheck[] = [];

  if (product && duckdb) {
    const ratio = product.medianSeconds / duckdb.medianSeconds;
    checks.push({
      target: `product end to end ≤ 1.0× DuckDB's time (${rows})`,
      measured: `${product.medianSeconds.toFixed(2)} s vs ${duckdb.medianSeconds.toFixed(2)} s = ${ratio.toFixed(2)}×`,
      met: ratio <= 1,
    });
  }
  if (product && naive) {
    const speedup = naive.medianSeconds / product.medianSeconds;
    checks.push({
      target: `product ≥ 10× faster than the naive fast-csv process (${rows})`,
      measured: `${naive.medianSeconds.toFixed(2)} s vs ${product.medianSeconds.toFixed(2)} s = ${speedup.toFixed(1)}×`,
      met: speedup >= 10,
    });
  }
  // Redis: the worst product run of a file, whatever its worker count (fewer workers leave more chunks waiting).
  const redisPeak = (file: FileReport): number | undefined => {
    const peaks = file.summary.flatMap((s) => (s.redisRunPeakBytes === undefined ? [] : [s.redisRunPeakBytes]));
    return peaks.length > 0 ? Math.max(...peaks) : undefined;
  };
  const large = redisPeak(largest);
  if (large !== undefined) {
    checks.push({ target: `Redis peak ≤ 256 MB (${rows}, above the baseline, worst run)`, measured: `${(large / MB).toFixed(0)} MB`, met: large <= REDIS_LIMIT });
  }
  const small = redisPeak(smallest);
  if (smallest !== largest && small !== undefined && large !== undefined) {
    const growth = large / small;
    checks.push({
      target: `Redis peak within 1.5× between ${smallest.rows.toLocaleString('en')} and ${rows} (worst runs)`,
      measured: `${(small / MB).toFixed(0)} MB → ${(large / MB).toFixed(0)} MB = ${growth.toFixed(2)}×`,
      met: growth <= 1.5,
    });
  }
  const roles: Record<string, number> = {};
  for (const file of files) {
    for (const [role, bytes] of Object.entries(file.rolePeaks)) roles[role] = Math.max(roles[role] ?? 0, bytes);
    if (file.http?.apiPeakRssBytes) roles.api = Math.max(roles.api ?? 0, file.http.apiPeakRssBytes);
  }
  if (Object.keys(roles).length > 0) {
    checks.push({
      target: 'every role ≤ 300 MB RSS (VmHWM, every file)',
      measured: Object.entries(roles).map(([role, bytes]) => `${role} ${(bytes / MB).toFixed(0)} MB`).join(', '),
      met: Object.values(roles).every((bytes) => bytes <= ROLE_RSS_LIMIT),
    });
  }
  const http = files.find((file) => file.http)?.http;
  if (http) {
    const ratio = requestsRatio(http);
    checks.push({
      target: 'GET /api/ca-mensuel ≥ 0.8× the req/s of GET /health',
      measured:
        `${http.caMensuel.requestsPerSecond.toFixed(0)} vs ${http.health.requestsPerSecond.toFixed(0)} req/s = ${ratio.toFixed(2)}×${busyNote(http.caMensuel)}` +
        (http.sameBytes
          ? `; a bare node:http server sending the same two answers: ${requestsRatio(http.sameBytes).toFixed(2)}×`
          : ''),
      met: ratio >= 0.8,
    });
    checks.push({
      target: 'GET /api/ca-mensuel p99 < 20 ms',
      measured: `${http.caMensuel.p99Ms} ms`,
      met: http.caMensuel.p99Ms < P99_LIMIT_MS,
    });
  }
  return checks;
}
