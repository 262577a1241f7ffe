// The issues' targets, checked on the largest file measured, the scale-out runs and the cardinality files.
import type { FileReport, TargetCheck } from './bench-report.js';
import type { CardinalityReport, ScalingReport } from './scale-out.js';

const MB = 2 ** 20;
const ROLE_RSS_LIMIT = 300 * MB;
const REDIS_LIMIT = 256 * MB;
const P99_LIMIT_MS = 20;
/** Redis above its level before the run, during the largest file's runs. */
const REDIS_RUN_LIMIT = 16 * MB;

export function checkTargets(files: FileReport[], productMethod: string, scaling?: ScalingReport, cardinality?: CardinalityReport): TargetCheck[] {
  if (files.length === 0) return [];
  const largest = files.reduce((a, b) => (b.rows > a.rows ? b : a));
  const find = (file: FileReport, method: string) => file.summary.find((s) => s.method === method);
  const product = find(largest, productMethod);
  const duckdb = find(largest, 'duckdb');
  const naive = find(largest, 'naive-fast-csv');
  const rows = `${largest.rows.toLocaleString('en')} rows`;
  const checks: TargetCheck[] = [];

  if (product && duckdb) {
    const ratio = product.medianSeconds / duckdb.medianSeconds;
    checks.push({
      target: `product end to end ≤ 0.6× DuckDB's time (${rows})`,
      measured: `${product.medianSeconds.toFixed(2)} s vs ${duckdb.medianSeconds.toFixed(2)} s = ${ratio.toFixed(2)}×`,
      met: ratio <= 0.6,
    });
  }
  const one = find(largest, 'product-1w');
  const two = find(largest, 'product-2w');
  if (one && two) {
    const ratio = two.medianSeconds / one.medianSeconds;
    checks.push({
      target: `2 workers ≤ 0.65× the time of 1 worker, unheld on this machine (${rows})`,
      measured: `${two.medianSeconds.toFixed(2)} s vs ${one.medianSeconds.toFixed(2)} s = ${ratio.toFixed(2)}×`,
      met: ratio <= 0.65,
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
    checks.push({ target: `Redis peak above its baseline ≤ 16 MB during a run (${rows}, worst run)`, measured: `${(large / MB).toFixed(1)} MB`, met: large <= REDIS_RUN_LIMIT });
  }
  // No file bytes go through Redis: a run holds only its ranges' partials there, whatever the file's size, so the
  // absolute bound above is the target (a ratio between the two files' peaks of 0–2 MB measured noise).
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
  if (scaling && !scaling.skipped) {
    const at = (workers: number) => scaling.runs.find((run) => run.workers === workers);
    const held = `every pipeline role held to ${scaling.cores} core, ${scaling.rows.toLocaleString('en')} rows`;
    for (const [workers, wanted] of [[8, 6], [2, 1.8]] as const) {
      const run = at(workers);
      if (run && at(1)) {
        checks.push({
          target: `${workers} workers ≥ ${wanted}× faster than 1 (${held})`,
          measured: `${at(1)!.seconds.toFixed(2)} s vs ${run.seconds.toFixed(2)} s = ${run.speedup.toFixed(2)}×`,
          met: run.speedup >= wanted,
        });
      }
    }
  } else if (scaling) {
    checks.push({ target: 'scale-out runs (8 workers ≥ 6×, 2 workers ≥ 1.8× faster than 1, roles held to 0.1 core)', measured: `skipped: ${scaling.method}`, met: null });
  }
  if (cardinality) {
    const limits: Record<string, { seconds: number; variable?: string }> = {
      '100,000 villes (300,000 rows), default MAX_VILLES': { seconds: 10, variable: 'MAX_VILLES' },
      '100,000 villes, MAX_VILLES=200000': { seconds: 30 },
      '1,000,000 models in one ville, default MAX_MODELES': { seconds: 30, variable: 'MAX_MODELES' },
    };
    for (const c of cardinality.cases) {
      const limit = limits[c.name];
      if (!limit) continue;
      const named = limit.variable === undefined || (c.error ?? '').includes(limit.variable);
      checks.push({
        target: `${c.name}: ${c.expected} in ≤ ${limit.seconds} s${limit.variable ? `, naming ${limit.variable}` : ''}${c.expected === 'failed' ? ', then the next run completes' : ''}`,
        measured: `${c.status} in ${c.seconds.toFixed(2)} s${c.followUp ? `; next run ${c.followUp.status}` : ''}`,
        met: c.status === c.expected && c.seconds <= limit.seconds && named && (c.followUp === undefined || c.followUp.status === 'completed'),
      });
    }
    const peak = Math.max(...cardinality.cases.flatMap((c) => Object.values(c.rolePeaks)));
    checks.push({ target: 'every role ≤ 300 MB RSS throughout the cardinality files', measured: `highest ${(peak / MB).toFixed(0)} MB`, met: peak <= ROLE_RSS_LIMIT });
  }
  const http = files.find((file) => file.http)?.http;
  if (http) {
    // The API's CPU per answer against a bare node:http server sending the same bytes, measured in the same run:
    // what the API adds to serving them. (Requests per second measured the load generator, which shares the cores.)
    const api = http.caMensuel.serverCpuUsPerAnswer;
    const bare = http.sameBytes?.caMensuel.serverCpuUsPerAnswer;
    if (api !== null && bare !== null && bare !== undefined) {
      checks.push({
        target: "API's CPU per answer of GET /api/ca-mensuel ≤ 1.5× a bare node:http server's sending the same bytes",
        measured: `${api.toFixed(1)} µs vs ${bare.toFixed(1)} µs = ${(api / bare).toFixed(2)}×`,
        met: api / bare <= 1.5,
      });
    }
    // The same load against a bare server shows what the machine and the load generator allow for this body.
    const bareP99 = http.sameBytes?.caMensuel.p99Ms;
    checks.push({
      target: 'GET /api/ca-mensuel p99 < 20 ms',
      measured: `${http.caMensuel.p99Ms} ms${bareP99 === undefined ? '' : ` (a bare node:http server sending the same bytes: ${bareP99} ms)`}`,
      met: http.caMensuel.p99Ms < P99_LIMIT_MS,
    });
    if (bareP99 !== undefined && bareP99 > 0) {
      checks.push({
        target: "GET /api/ca-mensuel p99 ≤ 1.5× a bare node:http server's sending the same bytes, same load",
        measured: `${http.caMensuel.p99Ms} ms vs ${bareP99} ms = ${(http.caMensuel.p99Ms / bareP99).toFixed(2)}×`,
        met: http.caMensuel.p99Ms <= 1.5 * bareP99,
      });
    }
  }
  return checks;
}
