// From a file's measurements to one line per method: medians, rows/s, ratio to the product, peaks.
import type { MethodSummary, Measurement } from './bench-report.js';
import type { RolePeak } from './product/product-run.js';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function methodLabel(x: Pick<Measurement, 'kind' | 'workers'>): string {
  switch (x.kind) {
    case 'product':
      return `product end to end, ${x.workers} worker${x.workers === 1 ? '' : 's'}`;
    case 'duckdb':
      return 'DuckDB (load + 3 GROUP BYs)';
    case 'core':
      return 'core alone (CsvAggregator, 1 thread)';
    case 'naive-fast-csv':
      return 'naive fast-csv process';
  }
}

/** Methods in first-seen order; the reference product is `productMethod` (the default worker count). */
export function summariseMeasurements(measurements: Measurement[], rows: number, productMethod: string): MethodSummary[] {
  const byMethod = new Map<string, Measurement[]>();
  for (const x of measurements) byMethod.set(x.method, [...(byMethod.get(x.method) ?? []), x]);
  const productRuns = byMethod.get(productMethod) ?? [];
  const productMedian = productRuns.length > 0 ? median(productRuns.map((x) => x.seconds)) : NaN;
  return [...byMethod].map(([method, runs]) => {
    const times = runs.map((x) => x.seconds);
    const medianSeconds = median(times);
    const rolePeaks = runs.flatMap((x) => (x.roles ?? []).map((r) => r.peakRssBytes ?? 0));
    const processPeaks = runs.map((x) => x.peakRssBytes ?? 0);
    const redisPeaks = runs.flatMap((x) => (x.redis ? [x.redis.runPeakBytes] : []));
    const peaks = runs[0].kind === 'product' ? rolePeaks : processPeaks;
    const cpu = runs[0].kind === 'product' ? productCpu(runs) : { total: runs.map((x) => x.cpuSeconds ?? NaN) };
    return {
      method,
      label: methodLabel(runs[0]),
      runs: runs.length,
      medianSeconds,
      minSeconds: Math.min(...times),
      maxSeconds: Math.max(...times),
      rowsPerSecond: rows / medianSeconds,
      timeRatioToProduct: medianSeconds / productMedian,
      allEqual: runs.every((x) => x.equal),
      peakRssBytes: peaks.length > 0 ? Math.max(...peaks) : null,
      ...(redisPeaks.length > 0 ? { redisRunPeakBytes: Math.max(...redisPeaks) } : {}),
      cpuSeconds: cpu.total.some(Number.isNaN) ? null : median(cpu.total),
      ...('byRole' in cpu ? { cpuByRole: cpu.byRole } : {}),
      ...(runs[0].kind === 'product' && runs.every((x) => x.readySeconds !== undefined) ? { startUp: productStartUp(runs) } : {}),
    };
  });
}

/** Highest VmHWM per role over every product run (all workers counted as `worker`). */
export function rolePeaks(measurements: Measurement[]): Record<string, number> {
  const peaks: Record<string, number> = {};
  for (const role of measurements.flatMap((x) => x.roles ?? [])) {
    if (role.peakRssBytes !== null) peaks[role.role] = Math.max(peaks[role.role] ?? 0, role.peakRssBytes);
  }
  return peaks;
}

/** CPU seconds per role of one product run, as `seconds` reads them off each role (workers added up). */
function cpuByRoleOf(run: Measurement, seconds: (role: RolePeak) => number | null): Record<string, number> {
  const byRole: Record<string, number> = {};
  for (const role of run.roles ?? []) {
    const name = role.role === 'worker' ? 'workers' : role.role;
    byRole[name] = (byRole[name] ?? 0) + (seconds(role) ?? NaN);
  }
  return byRole;
}

/** The median of each role's figure over runs that all name the same roles. */
function medianByRole(perRun: Record<string, number>[]): Record<string, number> {
  const byRole: Record<string, number> = {};
  for (const name of Object.keys(perRun[0] ?? {})) byRole[name] = median(perRun.map((run) => run[name]));
  return byRole;
}

/** Before POST: the median time until every role was ready, and the median start-up CPU per role (workers added up). */
function productStartUp(runs: Measurement[]): { readySeconds: number; cpuByRole: Record<string, number> } {
  const cpuByRole = medianByRole(runs.map((x) => cpuByRoleOf(x, (role) => role.startCpuSeconds)));
  return { readySeconds: median(runs.map((x) => x.readySeconds!)), cpuByRole };
}

/** CPU seconds of each product run (roles and Redis), and the median per role over the runs. */
function productCpu(runs: Measurement[]): { total: number[]; byRole: Record<string, number> } {
  const perRun = runs.map((x) => ({ ...cpuByRoleOf(x, (role) => role.cpuSeconds), Redis: x.redis?.cpuSeconds ?? NaN }));
  return { total: perRun.map((run) => Object.values(run).reduce((a, b) => a + b, 0)), byRole: medianByRole(perRun) };
}
