// `pnpm bench`: the product end to end (every role its own process) next to DuckDB, the core alone and a
// naive fast-csv process, on generated 1 M and 10 M-row files, methods interleaved round by round; then the
// product with every pipeline role held to a tenth of a core for 1 to 8 workers (scale-out), and the cardinality
// files. Every method's metrics checked against the product's; report in bench/results/latest.md and latest.json.
import { execFileSync } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { parseBenchOptions, USAGE, type BenchOptions } from './bench-options.js';
import { renderMarkdown, type BenchReport, type FileReport, type Measurement } from './bench-report.js';
import { cachedTransactionsFile } from './cached-transactions-file.js';
import { compareResults, type ComparedMetrics } from './compare-results.js';
import { httpLoad, loadPair, sameBytesLoads, type HttpFigures, type LoadPair } from './product/http-load.js';
import { readHostCpuTimes, type HostCpuTimes } from './product/proc-status.js';
import { runProduct } from './product/product-run.js';
import { clockNowUs, summariseProfile, type ProfileSummary } from './profile-summary.js';
import { runMethodProcess } from './run-method-process.js';
import type { SingleProcessMethod } from './single-process-methods.js';
import { methodLabel, rolePeaks, summariseMeasurements } from './summarise-file.js';
import { measureCardinality, measureScaling, type CardinalityReport, type ScalingReport } from './scale-out.js';
import { checkTargets } from './targets.js';
import { UsageError } from './usage-error.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HTTP_WARMUP_SECONDS = 1;
const PROFILED_LOAD_SECONDS = 5;

type Step = { kind: 'product'; workers: number } | { kind: SingleProcessMethod };

const log = (line: string): void => void process.stdout.write(`${line}\n`);

function stepName(step: Step): string {
  return step.kind === 'product' ? `product-${step.workers}w` : step.kind;
}

/** Round r runs the methods rotated by r, so a slow spell of the machine does not always hit the same one. */
function roundOrder(steps: Step[], round: number): Step[] {
  const shift = round % steps.length;
  return [...steps.slice(shift), ...steps.slice(0, shift)];
}

async function warmPageCache(path: string): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) void chunk;
}

async function redisVersion(redisUrl: string): Promise<string> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  try {
    return /^redis_version:(\S+)/m.exec(await redis.info('server'))?.[1] ?? 'unknown';
  } finally {
    redis.disconnect();
  }
}

/**
 * The commit measured, marked when tracked files differ from it (the figures are then of no commit). The
 * benchmark's own results, rewritten by every run, do not count.
 */
function gitCommit(): string {
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const head = git('rev-parse', 'HEAD');
    const changed = git('status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)bench/results');
    return changed === '' ? head : `${head} + uncommitted changes`;
  } catch {
    return 'unknown';
  }
}

/** The Node the images run (.node-version), to say when the bench ran on another one. */
function pinnedNode(): string | null {
  try {
    return `v${readFileSync(join(REPO_ROOT, '.node-version'), 'utf8').trim()}`;
  } catch {
    return null;
  }
}

/** Share of the machine's CPU time the hypervisor gave to others between two readings; null without /proc/stat. */
function stealPercent(before: HostCpuTimes | null, after: HostCpuTimes | null): number | null {
  if (before === null || after === null || after.totalSeconds <= before.totalSeconds) return null;
  return (100 * (after.stealSeconds - before.stealSeconds)) / (after.totalSeconds - before.totalSeconds);
}

async function measureFile(
  options: BenchOptions,
  redisUrl: string,
  rows: number,
  isLargest: boolean,
): Promise<{ file: FileReport; profiles: ProfileSummary[]; scaling?: ScalingReport }> {
  const path = await cachedTransactionsFile(rows, options.seed, log);
  const { size } = await stat(path);
  await warmPageCache(path);
  log(`\n${rows.toLocaleString('en')} rows, ${(size / 1e6).toFixed(0)} MB: ${path}`);

  const steps: Step[] = [
    ...options.workers.map((workers) => ({ kind: 'product' as const, workers })),
    { kind: 'duckdb' },
    { kind: 'core' },
    ...(options.naive ? [{ kind: 'naive-fast-csv' as const }] : []),
  ];
  const productMethod = stepName(steps[0]);
  const measurements: Measurement[] = [];
  let reference: ComparedMetrics | null = null;
  let http: FileReport['http'];

  const check = (metrics: ComparedMetrics): string[] => {
    reference ??= metrics; // the first product run is the reference of the file
    return compareResults(reference, metrics);
  };

  const product = { dataDir: dirname(path), source: basename(path), repoRoot: REPO_ROOT, redisUrl };
  for (let round = 0; round < options.rounds; round++) {
    // Round 0 starts with the default product run: its metrics are the file's reference.
    for (const step of roundOrder(steps, round)) {
      const method = stepName(step);
      const hostBefore = await readHostCpuTimes();
      let measurement: Measurement;
      if (step.kind === 'product') {
        const withHttp = round === 0 && isLargest && method === productMethod && options.httpSeconds > 0;
        const loads: { api?: LoadPair; sameBytes?: LoadPair } = {};
        const outcome = await runProduct({
          ...product,
          workers: step.workers,
          whilePublished: withHttp
            ? async (baseUrl, api) => {
                const headers: Record<string, string> = options.httpAcceptEncoding === null ? {} : { 'accept-encoding': options.httpAcceptEncoding };
                loads.api = await loadPair(baseUrl, options.httpSeconds, HTTP_WARMUP_SECONDS, options.httpConnections, () => api.cpuSeconds(), headers);
                loads.sameBytes = await sameBytesLoads(baseUrl, options.httpSeconds, HTTP_WARMUP_SECONDS, options.httpConnections, headers);
              }
            : undefined,
        });
        const differences = check(outcome.metrics);
        measurement = {
          method,
          kind: 'product',
          round: round + 1,
          seconds: outcome.seconds,
          equal: differences.length === 0,
          differences,
          workers: step.workers,
          redisPrefix: outcome.redisPrefix,
          reportedMs: outcome.reportedMs,
          readySeconds: outcome.readySeconds,
          chunks: outcome.chunks,
          redis: outcome.redis,
          roles: outcome.roles,
        };
        if (loads.api) {
          http = {
            ...loads.api,
            connections: options.httpConnections,
            seconds: options.httpSeconds,
            apiPeakRssBytes: outcome.roles.find((r) => r.role === 'api')?.peakRssBytes ?? null,
            ...(loads.sameBytes ? { sameBytes: loads.sameBytes } : {}),
          };
          const lines: [HttpFigures, string][] = [[loads.api.caMensuel, ''], [loads.api.health, '']];
          if (loads.sameBytes) lines.push([loads.sameBytes.caMensuel, '  same bytes, bare node:http'], [loads.sameBytes.health, '  same bytes, bare node:http']);
          for (const [f, note] of lines) {
            log(
              `    GET ${f.path.padEnd(16)} ${f.requestsPerSecond.toFixed(0).padStart(6)} req/s  p99 ${f.p99Ms} ms  (${f.responseBytes} B, non-2xx ${f.non2xx}, errors ${f.errors})${note}`,
            );
          }
        }
      } else {
        if (reference === null) throw new Error('internal: a product run must come first');
        const outcome = await runMethodProcess(step.kind, path);
        const differences = check(outcome.metrics);
        measurement = {
          method,
          kind: step.kind,
          round: round + 1,
          seconds: outcome.seconds,
          equal: differences.length === 0,
          differences,
          peakRssBytes: outcome.peakRssBytes,
          cpuSeconds: outcome.cpuSeconds,
        };
      }
      measurement.hostStealPercent = stealPercent(hostBefore, await readHostCpuTimes());
      measurements.push(measurement);
      const roleCpu = (measurement.roles ?? []).reduce((total, r) => total + (r.cpuSeconds ?? 0), 0) + (measurement.redis?.cpuSeconds ?? 0);
      const extra =
        measurement.kind === 'product'
          ? `${measurement.chunks} chunks, CPU ${roleCpu.toFixed(1)} s, Redis +${((measurement.redis?.runPeakBytes ?? 0) / 2 ** 20).toFixed(0)} MB, ` +
            `roles ≤ ${(Math.max(...(measurement.roles ?? []).map((r) => r.peakRssBytes ?? 0)) / 2 ** 20).toFixed(0)} MB`
          : `CPU ${(measurement.cpuSeconds ?? 0).toFixed(1)} s, RSS ${((measurement.peakRssBytes ?? 0) / 2 ** 20).toFixed(0)} MB`;
      log(
        `  round ${round + 1}  ${methodLabel(measurement).padEnd(40)} ${measurement.seconds.toFixed(2).padStart(7)} s  ` +
          `${(rows / measurement.seconds / 1e6).toFixed(2).padStart(6)} M rows/s  ${measurement.equal ? 'equal' : 'DIFFERS'}  ${extra}` +
          (measurement.hostStealPercent === null ? '' : `, host steal ${measurement.hostStealPercent.toFixed(1)} %`),
      );
      for (const difference of measurement.differences) log(`      ${difference}`);
    }
  }

  const profiles: ProfileSummary[] = [];
  if (options.profile && isLargest) {
    const names = ['orchestrator', 'worker-1', 'api'];
    await Promise.all(names.map((name) => rm(join(options.outDir, `${name}.cpuprofile`), { force: true })));
    log(`  profiling: one more ${productMethod} run under node --cpu-prof (orchestrator, worker-1; the API under load)`);
    // The API profiled under each endpoint's load in turn: the difference is what the bigger answer costs.
    const loads = { caMensuel: { startUs: 0, endUs: 0 }, health: { startUs: 0, endUs: 0 } };
    const outcome = await runProduct({
      ...product,
      workers: options.workers[0],
      profileDir: options.outDir,
      whilePublished: async (baseUrl) => {
        for (const [key, path] of [['caMensuel', '/api/ca-mensuel'], ['health', '/health']] as const) {
          loads[key].startUs = clockNowUs();
          await httpLoad(baseUrl, path, PROFILED_LOAD_SECONDS, options.httpConnections);
          loads[key].endUs = clockNowUs();
        }
      },
    });
    const differences = check(outcome.metrics);
    log(`  profiled run ${outcome.seconds.toFixed(2)} s (${differences.length === 0 ? 'equal' : 'DIFFERS'}; not counted in the table)`);
    const during = `${rows.toLocaleString('en')} rows, during the ${outcome.seconds.toFixed(1)} s run`;
    profiles.push(await summariseProfile(`orchestrator (${during})`, join(options.outDir, 'orchestrator.cpuprofile'), outcome.window));
    profiles.push(await summariseProfile(`worker-1 of ${options.workers[0]} (${during})`, join(options.outDir, 'worker-1.cpuprofile'), outcome.window));
    for (const [key, path] of [['caMensuel', '/api/ca-mensuel'], ['health', '/health']] as const) {
      const label = `api (${PROFILED_LOAD_SECONDS} s of GET ${path}, ${options.httpConnections} connections)`;
      profiles.push(await summariseProfile(label, join(options.outDir, 'api.cpuprofile'), loads[key]));
    }
  }

  let scaling: ScalingReport | undefined;
  if (isLargest && options.scalingWorkers.length > 0) {
    log(`  scale-out: every pipeline role held to ${options.scalingCores} of a core, ${options.scalingWorkers.join('/')} workers`);
    scaling = await measureScaling({
      repoRoot: REPO_ROOT,
      redisUrl,
      path,
      rows,
      cores: options.scalingCores,
      workers: options.scalingWorkers,
      log,
      equalTo: (metrics) => check(metrics).length === 0,
    });
  }

  return {
    ...(scaling ? { scaling } : {}),
    file: {
      rows,
      bytes: size,
      file: basename(path),
      measurements,
      summary: summariseMeasurements(measurements, rows, productMethod),
      rolePeaks: rolePeaks(measurements),
      ...(http ? { http } : {}),
    },
    profiles,
  };
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    log(USAGE);
    return;
  }
  const options = parseBenchOptions(process.argv.slice(2));
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const startedAt = new Date();
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    pinnedNode: pinnedNode(),
    redis: await redisVersion(redisUrl),
    loadBefore: loadavg(),
    loadAfter: [] as number[],
    stealPercent: null as number | null,
  };
  const hostAtStart = await readHostCpuTimes();
  log(`pnpm bench: ${options.rows.map((r) => r.toLocaleString('en')).join(' and ')} rows, ${options.rounds} round(s), workers ${options.workers.join('/')}`);
  log(`${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, Redis ${machine.redis}, load ${machine.loadBefore.map((l) => l.toFixed(1)).join(' ')}`);

  const largest = Math.max(...options.rows);
  const files: FileReport[] = [];
  const profiles: ProfileSummary[] = [];
  let scaling: ScalingReport | undefined;
  await mkdir(options.outDir, { recursive: true });
  for (const rows of options.rows) {
    const measured = await measureFile(options, redisUrl, rows, rows === largest);
    files.push(measured.file);
    profiles.push(...measured.profiles);
    scaling ??= measured.scaling;
  }
  let cardinality: CardinalityReport | undefined;
  if (options.cardinality) {
    log('\ncardinality files (a failed run must free the slot: the smallest file is run next by the same roles)');
    const smallest = await cachedTransactionsFile(Math.min(...options.rows), options.seed, log);
    cardinality = await measureCardinality({ repoRoot: REPO_ROOT, redisUrl, normalPath: smallest, workers: options.workers[0], log });
  }
  machine.loadAfter = loadavg();
  machine.stealPercent = stealPercent(hostAtStart, await readHostCpuTimes());

  const productMethod = `product-${options.workers[0]}w`;
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    commit: gitCommit(),
    machine,
    options: {
      rows: options.rows,
      seed: options.seed,
      rounds: options.rounds,
      workers: options.workers,
      httpSeconds: options.httpSeconds,
      httpConnections: options.httpConnections,
      httpAcceptEncoding: options.httpAcceptEncoding,
      quick: options.quick,
    },
    files,
    ...(scaling ? { scaling } : {}),
    ...(cardinality ? { cardinality } : {}),
    targets: checkTargets(files, productMethod, scaling, cardinality),
    profiles,
    allEqual: files.every((file) => file.measurements.every((x) => x.equal)) && (scaling?.runs ?? []).every((run) => run.equal),
  };
  const markdown = renderMarkdown(report);
  await writeFile(join(options.outDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(options.outDir, 'latest.md'), markdown);
  log(`\n${markdown}`);
  log(`written: ${join(options.outDir, 'latest.md')} and latest.json (${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s in all)`);
  if (!report.allEqual) {
    process.stderr.write('pnpm bench: some method computed different metrics than the product (see above)\n');
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`pnpm bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
