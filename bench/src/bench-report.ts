// The shape of a `pnpm bench` report (written as latest.json) and its reading as Markdown (latest.md).
import type { ProfileSummary } from './profile-summary.js';
import { requestsRatio, type HttpFigures, type LoadPair } from './product/http-load.js';
import type { RedisMemoryPeak } from './product/redis-memory-sampler.js';
import type { RolePeak } from './product/product-run.js';
import type { CardinalityReport, ScalingReport } from './scale-out.js';

export type MethodKind = 'product' | 'duckdb' | 'core' | 'naive-fast-csv';

export interface Measurement {
  /** `product-3w`, `duckdb`, … */
  method: string;
  kind: MethodKind;
  round: number;
  seconds: number;
  /** Whether its metrics equal the first product run's on the same file; the first differences otherwise. */
  equal: boolean;
  differences: string[];
  /** Share of the machine's CPU time taken by the hypervisor for others during the measurement (null: unknown). */
  hostStealPercent?: number | null;
  /** Single-process methods: the process's peak RSS and CPU seconds (every thread). */
  peakRssBytes?: number;
  cpuSeconds?: number;
  /** Product runs only. */
  workers?: number;
  redisPrefix?: string;
  reportedMs?: number | null;
  /** From starting the roles to all of them ready, before POST (not timed). */
  readySeconds?: number;
  chunks?: number;
  redis?: RedisMemoryPeak;
  roles?: RolePeak[];
}

export interface MethodSummary {
  method: string;
  label: string;
  runs: number;
  medianSeconds: number;
  minSeconds: number;
  maxSeconds: number;
  rowsPerSecond: number;
  /** Median time ÷ the median time of the product with the default worker count (> 1: slower than it). */
  timeRatioToProduct: number;
  allEqual: boolean;
  /** Product: highest role VmHWM; others: the process's peak RSS. */
  peakRssBytes: number | null;
  /** Product only: the highest Redis used_memory above the baseline over its runs. */
  redisRunPeakBytes?: number;
  /** Median CPU seconds of a run: every role and Redis for the product, the process otherwise. */
  cpuSeconds: number | null;
  /** Product only: median CPU seconds per role (workers added up) and Redis's. */
  cpuByRole?: Record<string, number>;
  /** Product only, before POST (not timed): median seconds until every role was ready, and CPU seconds per role. */
  startUp?: { readySeconds: number; cpuByRole: Record<string, number> };
}

export interface FileReport {
  rows: number;
  bytes: number;
  file: string;
  measurements: Measurement[];
  summary: MethodSummary[];
  /** Peak RSS per role over every product run of the file (workers: the highest of them). */
  rolePeaks: Record<string, number>;
  http?: LoadPair & {
    connections: number;
    seconds: number;
    apiPeakRssBytes: number | null;
    /** The same loads against a bare node:http server sending the API's two answers byte for byte. */
    sameBytes?: LoadPair;
  };
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | null;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  commit: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    /** The Node of .node-version, which the images run (null: none found). */
    pinnedNode?: string | null;
    redis: string;
    loadBefore: number[];
    loadAfter: number[];
    /** Share of the machine's CPU time the hypervisor gave to others during the bench (null: unknown). */
    stealPercent?: number | null;
  };
  options: { rows: number[]; seed: number; rounds: number; workers: number[]; httpSeconds: number; httpConnections: number; httpAcceptEncoding: string | null; quick: boolean };
  files: FileReport[];
  scaling?: ScalingReport;
  cardinality?: CardinalityReport;
  targets: TargetCheck[];
  profiles: ProfileSummary[];
  allEqual: boolean;
}

const mb = (bytes: number | null | undefined): string => (bytes === null || bytes === undefined ? '–' : `${(bytes / 2 ** 20).toFixed(0)} MB`);
const secs = (s: number): string => `${s.toFixed(2)} s`;
const cpuPerAnswer = (us: number | null | undefined, busy: number | null | undefined): string =>
  us === null || us === undefined ? '–' : `${us.toFixed(1)} µs (${(busy ?? 0).toFixed(2)})`;
const ratio = (pair: LoadPair): string => `${requestsRatio(pair).toFixed(2)}×`;
const rate = (r: number): string => (r >= 1e6 ? `${(r / 1e6).toFixed(2)} M` : `${(r / 1e3).toFixed(0)} k`);

export function renderMarkdown(report: BenchReport): string {
  const lines: string[] = [];
  const m = report.machine;
  lines.push(`# Benchmark — ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC`, '');
  lines.push(
    `\`pnpm bench\` at commit \`${report.commit.slice(0, 10)}\`${report.commit.length > 40 ? ' with uncommitted changes' : ''}; ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}` +
      (m.pinnedNode && m.pinnedNode !== m.node ? ` (**not** the images' ${m.pinnedNode} of \`.node-version\`)` : '') +
      ', ' +
      `Redis ${m.redis}; load average ${m.loadBefore.map((l) => l.toFixed(1)).join(' / ')} before, ` +
      `${m.loadAfter.map((l) => l.toFixed(1)).join(' / ')} after` +
      (m.stealPercent === null || m.stealPercent === undefined ? '' : `; CPU steal by the host ${m.stealPercent.toFixed(1)} % of the machine's CPU time`) +
      `. ${report.options.rounds} round(s), methods interleaved; ` +
      `times are medians (min–max). Every method's metrics ${report.allEqual ? '**equal**' : '**DIFFER from**'} the product's ` +
      '(ca_mensuel, repartition, top_modeles per city, villes, rows).',
    '',
  );
  for (const file of report.files) {
    lines.push(`## ${file.rows.toLocaleString('en')} rows, ${(file.bytes / 1e6).toFixed(0)} MB`, '');
    lines.push('| method | time | rows/s | time ÷ product | CPU (cores busy) | peak RSS | Redis peak (run) | results |');
    lines.push('|---|---|---|---|---|---|---|---|');
    for (const s of file.summary) {
      const cpu = s.cpuSeconds === null ? '–' : `${s.cpuSeconds.toFixed(1)} s (${(s.cpuSeconds / s.medianSeconds).toFixed(2)})`;
      lines.push(
        `| ${s.label} | ${secs(s.medianSeconds)} (${s.minSeconds.toFixed(2)}–${s.maxSeconds.toFixed(2)}) | ${rate(s.rowsPerSecond)} | ` +
          `${s.timeRatioToProduct.toFixed(2)}× | ${cpu} | ${mb(s.peakRssBytes)} | ${s.redisRunPeakBytes === undefined ? '–' : mb(s.redisRunPeakBytes)} | ` +
          `${s.allEqual ? 'equal' : 'DIFFER'} |`,
      );
    }
    lines.push('');
    for (const s of file.summary.filter((x) => x.cpuByRole)) {
      const parts = Object.entries(s.cpuByRole ?? {}).map(([role, seconds]) => `${role} ${seconds.toFixed(1)} s`);
      lines.push(`- CPU of a run, ${s.label} (medians): ${parts.join(', ')}.`);
    }
    for (const s of file.summary.filter((x) => x.startUp)) {
      const { readySeconds, cpuByRole } = s.startUp!;
      const parts = Object.entries(cpuByRole).map(([role, seconds]) => `${role} ${seconds.toFixed(2)} s`);
      lines.push(`- Start-up before POST (not timed), ${s.label} (medians): ready after ${readySeconds.toFixed(2)} s; CPU ${parts.join(', ')}.`);
    }
    lines.push('');
    lines.push(`Peak RSS per role (VmHWM, every product run): ${Object.entries(file.rolePeaks).map(([role, bytes]) => `${role} ${mb(bytes)}`).join(', ')}.`, '');
    if (file.http) {
      const h = file.http;
      const encoding = !report.options.httpAcceptEncoding ? '' : `, \`Accept-Encoding: ${report.options.httpAcceptEncoding}\``;
      lines.push(`API under load (autocannon, ${h.connections} connections, ${h.seconds} s each${encoding}, after this file's run):`, '');
      lines.push(
        '| endpoint | req/s | p50 | p99 | answer | non-2xx | errors | API CPU per answer (cores busy) | autocannon CPU per answer (cores busy) |',
        '|---|---|---|---|---|---|---|---|---|',
      );
      const rows: [string, HttpFigures][] = [
        [`\`GET ${h.caMensuel.path}\``, h.caMensuel],
        [`\`GET ${h.health.path}\``, h.health],
        ...(h.sameBytes
          ? ([
              [`same bytes as \`GET ${h.sameBytes.caMensuel.path}\`, bare node:http`, h.sameBytes.caMensuel],
              [`same bytes as \`GET ${h.sameBytes.health.path}\`, bare node:http`, h.sameBytes.health],
            ] as [string, HttpFigures][])
          : []),
      ];
      for (const [name, f] of rows) {
        lines.push(
          `| ${name} | ${f.requestsPerSecond.toFixed(0)} | ${f.p50Ms} ms | ${f.p99Ms} ms | ${f.responseBytes} B | ${f.non2xx} | ${f.errors} | ` +
            `${cpuPerAnswer(f.serverCpuUsPerAnswer, f.serverCoresBusy)} | ${cpuPerAnswer(f.clientCpuUsPerAnswer, f.clientCoresBusy)} |`,
        );
      }
      lines.push(
        '',
        'Both sides share the machine\'s cores; a side near 1.00 core busy is the one that sets the rate (autocannon runs on one thread).' +
          (h.sameBytes
            ? ' The bare node:http rows send the API\'s two answers byte for byte and do nothing else: their ratio is what these bodies ' +
              `and this load generator allow here (${ratio(h.sameBytes)}, against ${ratio(h)} for the API). The API answers \`GET ${h.caMensuel.path}\` ` +
              `at ${(h.caMensuel.requestsPerSecond / h.sameBytes.caMensuel.requestsPerSecond).toFixed(2)}× the bare server's rate.`
            : ''),
        '',
        `API peak RSS after the load: ${mb(h.apiPeakRssBytes)}.`,
        '',
      );
    }
    const differing = file.measurements.filter((x) => !x.equal);
    for (const x of differing) lines.push(`- ${x.method} round ${x.round} differs: ${x.differences.join('; ')}`);
    if (differing.length > 0) lines.push('');
  }
  if (report.scaling) {
    const sc = report.scaling;
    lines.push(`## Scale-out: ${sc.rows.toLocaleString('en')} rows, every pipeline role held to ${sc.cores} of a core`, '');
    if (sc.skipped) {
      lines.push(`Skipped: ${sc.method}.`, '');
    } else {
      lines.push(
        `Each pipeline role process (orchestrator, aggregator, every worker) in a CPU cgroup of its own (${sc.method}), as if each ran on a small ` +
          'machine of its own; the API and Redis are not held. Roles ready and idle before POST. Per worker count, fresh processes run the ' +
          'file twice: the second run is timed (a service that has run before), the first one, right after start-up, is shown beside it.',
        '',
        '| workers | time | speed-up over 1 worker | first run after start | ranges | CPU per role, timed run (workers added up) | results |',
        '|---|---|---|---|---|---|---|',
      );
      for (const run of sc.runs) {
        const cpu = Object.entries(run.cpuByRole).map(([role, seconds]) => `${role} ${seconds.toFixed(2)} s`).join(', ');
        const first = sc.runs[0] ? ` (${(sc.runs[0].firstRunSeconds / run.firstRunSeconds).toFixed(2)}×)` : '';
        lines.push(`| ${run.workers} | ${secs(run.seconds)} | ${run.speedup.toFixed(2)}× | ${secs(run.firstRunSeconds)}${first} | ${run.ranges} | ${cpu} | ${run.equal ? 'equal' : 'DIFFER'} |`);
      }
      lines.push('');
    }
  }
  if (report.cardinality) {
    lines.push('## Cardinality files', '', '| file | expected | outcome | time | error | peak RSS per role | Redis peak (run) | next run |', '|---|---|---|---|---|---|---|---|');
    for (const c of report.cardinality.cases) {
      const peaks = Object.entries(c.rolePeaks).map(([role, bytes]) => `${role} ${mb(bytes)}`).join(', ');
      lines.push(
        `| ${c.name} | ${c.expected} | ${c.status} | ${secs(c.seconds)} | ${c.error ? c.error.replaceAll('|', '\\|') : '–'} | ${peaks} | ${mb(c.redisPeakBytes)} | ` +
          `${c.followUp ? `${c.followUp.status} (${secs(c.followUp.seconds)})` : '–'} |`,
      );
    }
    lines.push('');
  }
  lines.push('## Targets', '', '| target | measured | met |', '|---|---|---|');
  for (const t of report.targets) lines.push(`| ${t.target} | ${t.measured} | ${t.met === null ? 'n/a' : t.met ? 'yes' : '**no**'} |`);
  lines.push('');
  for (const p of report.profiles) {
    lines.push(`## CPU profile: ${p.label}`, '', `${(p.busyMs / 1000).toFixed(2)} s on the CPU (not idle) of ${(p.totalMs / 1000).toFixed(2)} s sampled.`, '');
    lines.push('| area | self time | share of busy |', '|---|---|---|');
    for (const a of p.areas) lines.push(`| ${a.name} | ${a.ms} ms | ${a.busyPercent} % |`);
    lines.push('', '| function | self time | share of busy |', '|---|---|---|');
    for (const f of p.functions) lines.push(`| \`${f.name}\` | ${f.ms} ms | ${f.busyPercent} % |`);
    lines.push('');
  }
  return lines.join('\n');
}
