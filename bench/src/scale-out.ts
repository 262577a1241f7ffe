// The scale-out measurements: the product with every pipeline role held to the same small CPU quota, as if each
// ran on a small machine of its own, for growing worker counts; and the cardinality files, which must fail fast
// (or complete, with the limit raised) while every role stays small.
import { basename, dirname } from 'node:path';
import { cardinalityFile } from './cardinality-files.js';
import { cpuQuotaSupport } from './product/cpu-quota.js';
import { runProduct } from './product/product-run.js';

export interface ScalingRun {
  workers: number;
  /** The timed run: the second one of the same processes (see measureScaling). */
  seconds: number;
  /** The first run of those processes, right after their start-up warm-up (not the one the speed-up is of). */
  firstRunSeconds: number;
  /** seconds of the 1-worker run ÷ these seconds. */
  speedup: number;
  ranges: number;
  /** CPU seconds of the run per role (workers added up). */
  cpuByRole: Record<string, number>;
  equal: boolean;
}

export interface ScalingReport {
  rows: number;
  cores: number;
  /** How the quota is set (`cgroup v1 cpu.cfs_quota_us`…), or why it could not be. */
  method: string;
  skipped: boolean;
  runs: ScalingRun[];
}

export interface CardinalityCase {
  name: string;
  env: Record<string, string>;
  expected: 'failed' | 'completed';
  status: string;
  seconds: number;
  error?: string;
  /** Highest VmHWM of each role over the case (its follow-up run included). */
  rolePeaks: Record<string, number>;
  redisPeakBytes: number;
  followUp?: { status: string; seconds: number };
}

export interface CardinalityReport {
  cases: CardinalityCase[];
}

interface ScalingOptions {
  repoRoot: string;
  redisUrl: string;
  path: string;
  rows: number;
  cores: number;
  workers: number[];
  log: (line: string) => void;
  /** The metrics of the file's unheld product run, to check each held run against. */
  equalTo: (metrics: Awaited<ReturnType<typeof runProduct>>['metrics']) => boolean;
}

export async function measureScaling(options: ScalingOptions): Promise<ScalingReport> {
  const support = await cpuQuotaSupport();
  if (support.kind === 'none') {
    options.log(`  scaling: skipped, ${support.why}`);
    return { rows: options.rows, cores: options.cores, method: support.why, skipped: true, runs: [] };
  }
  const method = support.kind === 'v1' ? 'cgroup v1 cpu.cfs_quota_us' : 'cgroup v2 cpu.max';
  const runs: ScalingRun[] = [];
  for (const workers of options.workers) {
    const outcome = await runProduct({
      repoRoot: options.repoRoot,
      redisUrl: options.redisUrl,
      dataDir: dirname(options.path),
      source: basename(options.path),
      workers,
      cpuQuota: { cores: options.cores, support },
      // The timed run is the processes' second: a service runs for days, and at a tenth of a core the first run's
      // remaining compilation (code the start-up warm-up does not reach) would be timed as if it were work.
      runsBefore: 1,
    });
    const cpuByRole: Record<string, number> = {};
    for (const role of outcome.roles) cpuByRole[role.role] = (cpuByRole[role.role] ?? 0) + (role.cpuSeconds ?? 0);
    const one = runs.find((run) => run.workers === 1)?.seconds ?? outcome.seconds;
    const run: ScalingRun = { workers, seconds: outcome.seconds, firstRunSeconds: outcome.secondsBefore?.[0] ?? outcome.seconds, speedup: one / outcome.seconds, ranges: outcome.chunks, cpuByRole, equal: options.equalTo(outcome.metrics) };
    runs.push(run);
    options.log(
      `  scaling: ${workers} worker(s) at ${options.cores} core each: ${outcome.seconds.toFixed(2)} s (${run.speedup.toFixed(2)}× 1 worker; first run ${run.firstRunSeconds.toFixed(2)} s), ` +
        `${outcome.chunks} ranges, CPU ${Object.entries(cpuByRole).map(([role, s]) => `${role} ${s.toFixed(2)} s`).join(', ')}${run.equal ? '' : ', DIFFERS'}`,
    );
  }
  return { rows: options.rows, cores: options.cores, method, skipped: false, runs };
}

interface CardinalityOptions {
  repoRoot: string;
  redisUrl: string;
  /** A normal file, run after each failed case by the same roles: it must complete. */
  normalPath: string;
  workers: number;
  log: (line: string) => void;
}

export async function measureCardinality(options: CardinalityOptions): Promise<CardinalityReport> {
  const villes = await cardinalityFile('villes');
  const modeles = await cardinalityFile('modeles');
  const cases: Array<{ name: string; path: string; env: Record<string, string>; expected: 'failed' | 'completed' }> = [
    { name: '100,000 villes (300,000 rows), default MAX_VILLES', path: villes, env: {}, expected: 'failed' },
    { name: '100,000 villes, MAX_VILLES=200000', path: villes, env: { MAX_VILLES: '200000' }, expected: 'completed' },
    { name: '1,000,000 models in one ville, default MAX_MODELES', path: modeles, env: {}, expected: 'failed' },
  ];
  const report: CardinalityReport = { cases: [] };
  for (const spec of cases) {
    // The normal file must be reachable from the same DATA_DIR: both live in bench/.cache/.
    const outcome = await runProduct({
      repoRoot: options.repoRoot,
      redisUrl: options.redisUrl,
      dataDir: dirname(spec.path),
      source: basename(spec.path),
      workers: options.workers,
      env: spec.env,
      expectFailure: spec.expected === 'failed',
      skipMetrics: true,
      followUp: spec.expected === 'failed' ? basename(options.normalPath) : undefined,
    });
    const rolePeaks: Record<string, number> = {};
    for (const role of outcome.roles) rolePeaks[role.role] = Math.max(rolePeaks[role.role] ?? 0, role.peakRssBytes ?? 0);
    const entry: CardinalityCase = {
      name: spec.name,
      env: spec.env,
      expected: spec.expected,
      status: outcome.error === undefined ? 'completed' : 'failed',
      seconds: outcome.seconds,
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
      rolePeaks,
      redisPeakBytes: outcome.redis.runPeakBytes,
      ...(outcome.followUp ? { followUp: outcome.followUp } : {}),
    };
    report.cases.push(entry);
    options.log(
      `  cardinality: ${spec.name}: ${entry.status} in ${entry.seconds.toFixed(2)} s${entry.error ? ` (${entry.error.slice(0, 80)}…)` : ''}; ` +
        `roles ≤ ${(Math.max(...Object.values(rolePeaks)) / 2 ** 20).toFixed(0)} MB, Redis +${(entry.redisPeakBytes / 2 ** 20).toFixed(0)} MB` +
        (entry.followUp ? `; next run ${entry.followUp.status} in ${entry.followUp.seconds.toFixed(2)} s` : ''),
    );
  }
  return report;
}
