// One end-to-end run of the product, as compose runs it: the API, the orchestrator, the aggregator and N
// workers, each its own process, under a fresh Redis prefix. Timed from POST /api/process to the run
// report saying `completed`; the prefix's keys are deleted afterwards.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ComparedMetrics } from '../compare-results.js';
import { clockNowUs, type ClockWindow } from '../profile-summary.js';
import { deletePrefixKeys } from './clean-prefix.js';
import { freePort, pollUntil, ROLE_NODE_OPTIONS } from '@autoconnect/testkit';
import { CpuQuota, type QuotaSupport } from './cpu-quota.js';
import { RedisMemorySampler, type RedisMemoryPeak } from './redis-memory-sampler.js';
import { RoleProcess, type RoleName } from './role-process.js';

export interface ProductRunOptions {
  repoRoot: string;
  redisUrl: string;
  /** DATA_DIR of the roles, and the file's name inside it (the POST body's `source`). */
  dataDir: string;
  source: string;
  workers: number;
  /** When set, the orchestrator, the first worker and the API run under `node --cpu-prof` writing there. */
  profileDir?: string;
  /** Called once the run is published, with the API still up (the HTTP load test); `api` reads its CPU time. */
  whilePublished?: (baseUrl: string, api: { cpuSeconds(): Promise<number | null> }) => Promise<void>;
  /** Settings of every role besides the defaults (CHUNK_BYTES, MAX_VILLES…). */
  env?: Record<string, string>;
  /** Holds each pipeline role (orchestrator, aggregator, every worker; not the API) to `cores` of a core. */
  cpuQuota?: { cores: number; support: QuotaSupport };
  /** The run is expected to fail (a cardinality limit): its error is returned instead of thrown. */
  expectFailure?: boolean;
  /** Do not read the published results back through the API (huge ones, not compared). */
  skipMetrics?: boolean;
  /** A file run after the first one by the same roles, which must complete (say, after a failed run). */
  followUp?: string;
  /**
   * Runs of the same file before the timed one, by the same processes, not timed: what a long-running service has
   * behind it (its code compiled by V8's optimising tiers on real data). Their times are returned apart.
   */
  runsBefore?: number;
}

export interface RolePeak {
  label: string;
  role: RoleName;
  peakRssBytes: number | null;
  /** User + system CPU seconds from POST to `completed`. */
  cpuSeconds: number | null;
  /** CPU seconds of its start-up, before POST (loading, connecting, the split's and the map step's warm-up). */
  startCpuSeconds: number | null;
}

export interface ProductRunOutcome {
  runId: string;
  /** The run's private REDIS_PREFIX, whose keys are deleted afterwards. */
  redisPrefix: string;
  /** POST to `completed`, seen by the client. */
  seconds: number;
  /** From starting the role processes to all of them ready (not timed). */
  readySeconds: number;
  /** POST to `completed` on the monotonic clock, to cut role profiles to the run. */
  window: ClockWindow;
  /** The run report's own duration_ms. */
  reportedMs: number | null;
  chunks: number;
  metrics: ComparedMetrics;
  redis: RedisMemoryPeak;
  /** VmHWM of every role once the run is published (the API's again after `whilePublished`). */
  roles: RolePeak[];
  /** The run's error when it failed (only with `expectFailure`). */
  error?: string;
  /** The follow-up run's status and seconds. */
  followUp?: { status: string; seconds: number };
  /** Seconds of the runs before the timed one (`runsBefore`). */
  secondsBefore?: number[];
}

interface JobReport {
  job_id: string;
  status: string;
  duration_ms: number | null;
  error?: string;
  progress: { chunks_total: number; rows_valid: number };
}

/** Seconds over which every role must use almost no CPU before the run is timed (its warm-up done). */
const IDLE_WINDOW_MS = 600;
const IDLE_CPU_SECONDS = 0.02;

const READY_TIMEOUT_MS = 60_000;
const RUN_TIMEOUT_MS = 15 * 60_000;
const POLL_MS = 50;
const STOP_TIMEOUT_MS = 20_000;

/** BullMQ names a worker's connection `<prefix>:<base64 of the queue name>[:w:<worker name>]`. */
function workerClientName(prefix: string, queue: string): string {
  return `${prefix}:${Buffer.from(queue).toString('base64')}`;
}

async function workerConnections(redis: Redis, prefix: string): Promise<Record<'split' | 'map' | 'aggregate', number>> {
  const names = ((await redis.client('LIST')) as string).split('\n').map((line) => /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '');
  const count = (queue: string): number => {
    const base = workerClientName(prefix, queue);
    return names.filter((name) => name === base || name.startsWith(`${base}:w:`)).length;
  };
  return { split: count('split'), map: count('map'), aggregate: count('aggregate') };
}

async function getJson<T>(url: string): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as T, headers: response.headers };
}

export async function runProduct(options: ProductRunOptions): Promise<ProductRunOutcome> {
  const prefix = `bench-${randomBytes(6).toString('hex')}`;
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    NODE_OPTIONS: ROLE_NODE_OPTIONS,
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: prefix,
    DATA_DIR: options.dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    PROCESS_ON_START: 'false',
    // Logs at info cost little, but a benchmark reads none of them.
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const profileArgs = (label: string): string[] =>
    options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=${label}.cpuprofile`] : [];
  const start = (label: string, role: RoleName, nodeArgs: string[] = []): RoleProcess =>
    new RoleProcess(label, role, { repoRoot: options.repoRoot, env, nodeArgs });

  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
  redis.on('error', () => undefined); // reported through the failing command
  await redis.connect();
  const roles: RoleProcess[] = [];
  const quotas: CpuQuota[] = [];
  const describe = (): string => roles.map((role) => role.tail(8)).join('\n');
  try {
    const spawned = performance.now();
    roles.push(start('orchestrator', 'orchestrator', profileArgs('orchestrator')));
    roles.push(start('aggregator', 'aggregator'));
    for (let i = 1; i <= options.workers; i++) roles.push(start(`worker-${i}`, 'worker', i === 1 ? profileArgs('worker-1') : []));
    if (options.cpuQuota) {
      const { cores, support } = options.cpuQuota;
      for (const role of roles) quotas.push(await CpuQuota.hold(role.pid, cores, `${prefix}-${role.label}`, support));
    }
    roles.push(start('api', 'api', profileArgs('api')));
    const assertRunning = (): void => {
      const stopped = roles.find((role) => !role.running);
      if (stopped) throw new Error(`${stopped.label} stopped\n${describe()}`);
    };

    // Started processes are not timed: wait until the API answers and every queue has its workers.
    await pollUntil(
      async () => {
        assertRunning();
        const ready = await fetch(`${baseUrl}/ready`).then((r) => r.ok, () => false);
        const connected = await workerConnections(redis, prefix);
        return ready && connected.split >= 1 && connected.aggregate >= 1 && connected.map >= options.workers ? true : undefined;
      },
      { what: 'the API to be ready and the roles connected', timeoutMs: READY_TIMEOUT_MS, intervalMs: 100, seen: describe },
    );

    // Ready is not idle: a role held to a small quota may still be finishing its warm-up. Every role must be
    // near idle over a window before the run is timed, or the warm-up would be timed too.
    const untilIdle = async (): Promise<void> => {
      let previous = await Promise.all(roles.map((role) => role.cpuSeconds()));
      await pollUntil(
        async () => {
          assertRunning();
          const now = await Promise.all(roles.map((role) => role.cpuSeconds()));
          const busy = now.some((cpu, i) => cpu === null || previous[i] === null || cpu - previous[i]! > IDLE_CPU_SECONDS);
          previous = now;
          return busy ? undefined : true;
        },
        { what: 'the roles to go idle', timeoutMs: READY_TIMEOUT_MS, intervalMs: IDLE_WINDOW_MS, seen: describe },
      );
    };
    await untilIdle();
    const readySeconds = (performance.now() - spawned) / 1000;
    const secondsBefore: number[] = [];
    for (let i = 0; i < (options.runsBefore ?? 0); i++) {
      const before = await runFollowUp(baseUrl, options.source, assertRunning, describe);
      if (before.status !== 'completed') throw new Error(`an untimed run before the timed one ended ${before.status}\n${describe()}`);
      secondsBefore.push(before.seconds);
      await untilIdle();
    }
    const sampler = new RedisMemorySampler(redis);
    await sampler.start();
    const cpuAtStart = await Promise.all(roles.map((role) => role.cpuSeconds()));
    const started = performance.now();
    const startUs = clockNowUs();
    const post = await fetch(`${baseUrl}/api/process`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source: options.source }),
    });
    const accepted = (await post.json()) as { job_id?: string };
    if (post.status !== 202 || accepted.job_id === undefined) {
      throw new Error(`POST /api/process answered ${post.status} ${JSON.stringify(accepted)}`);
    }
    const runId = accepted.job_id;
    const report = await pollUntil(
      async () => {
        assertRunning();
        const { status, body } = await getJson<JobReport>(`${baseUrl}/api/jobs/${runId}`);
        if (status !== 200) throw new Error(`GET /api/jobs/${runId} answered ${status}`);
        if (body.status === 'failed' && !options.expectFailure) throw new Error(`run ${runId} failed: ${body.error}\n${describe()}`);
        if (body.status === 'completed' && options.expectFailure) throw new Error(`run ${runId} completed, but it was expected to fail`);
        return body.status === 'completed' || body.status === 'failed' ? body : undefined;
      },
      { what: `run ${runId} to end`, timeoutMs: RUN_TIMEOUT_MS, intervalMs: POLL_MS, seen: describe },
    );
    const seconds = (performance.now() - started) / 1000;
    const window = { startUs, endUs: clockNowUs() };
    const cpuAtEnd = await Promise.all(roles.map((role) => role.cpuSeconds()));
    const redisPeak = await sampler.stop();
    const peaks = new Map<RoleProcess, number | null>();
    for (const role of roles) peaks.set(role, await role.peakRssBytes());

    const metrics = options.expectFailure || options.skipMetrics ? null : await publishedMetrics(baseUrl, runId, report.progress.rows_valid);
    let followUp: ProductRunOutcome['followUp'];
    if (options.followUp !== undefined) followUp = await runFollowUp(baseUrl, options.followUp, assertRunning, describe);
    for (const role of roles) peaks.set(role, await role.peakRssBytes());
    if (options.whilePublished) {
      const api = roles[roles.length - 1];
      await options.whilePublished(baseUrl, api);
      assertRunning();
      peaks.set(api, await api.peakRssBytes());
    }
    return {
      runId,
      redisPrefix: prefix,
      seconds,
      readySeconds,
      window,
      reportedMs: report.duration_ms,
      chunks: report.progress.chunks_total,
      metrics: metrics ?? { villes: [], ca_mensuel: {}, repartition: {}, top_modeles: {}, rows_valid: 0 },
      redis: redisPeak,
      ...(report.status === 'failed' ? { error: report.error } : {}),
      ...(followUp ? { followUp } : {}),
      ...(secondsBefore.length > 0 ? { secondsBefore } : {}),
      roles: roles.map((role, i) => {
        const [before, after] = [cpuAtStart[i], cpuAtEnd[i]];
        return {
          label: role.label,
          role: role.role,
          peakRssBytes: peaks.get(role) ?? null,
          cpuSeconds: before === null || after === null ? null : after - before,
          startCpuSeconds: before,
        };
      }),
    };
  } finally {
    await Promise.all(roles.map((role) => role.terminate(STOP_TIMEOUT_MS)));
    await Promise.all(quotas.map((quota) => quota.release()));
    await deletePrefixKeys(redis, prefix);
    redis.disconnect();
  }
}

/** POSTs another file and waits for its run to end; its status and time. */
async function runFollowUp(baseUrl: string, source: string, assertRunning: () => void, describe: () => string): Promise<{ status: string; seconds: number }> {
  const started = performance.now();
  const post = await fetch(`${baseUrl}/api/process`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source }) });
  const { job_id: runId } = (await post.json()) as { job_id?: string };
  if (post.status !== 202 || runId === undefined) throw new Error(`POST /api/process (follow-up) answered ${post.status}`);
  const report = await pollUntil(
    async () => {
      assertRunning();
      const { body } = await getJson<JobReport>(`${baseUrl}/api/jobs/${runId}`);
      return body.status === 'completed' || body.status === 'failed' || body.status === 'cancelled' ? body : undefined;
    },
    { what: `run ${runId} to end`, timeoutMs: RUN_TIMEOUT_MS, intervalMs: POLL_MS, seen: describe },
  );
  return { status: report.status, seconds: (performance.now() - started) / 1000 };
}

/** The metrics as users read them: every results endpoint, each answer from the run just completed. */
async function publishedMetrics(baseUrl: string, runId: string, rowsValid: number): Promise<ComparedMetrics> {
  const read = async <T>(path: string): Promise<T> => {
    const { status, body, headers } = await getJson<T>(`${baseUrl}${path}`);
    if (status !== 200) throw new Error(`GET ${path} answered ${status}`);
    if (headers.get('x-run-id') !== runId) throw new Error(`GET ${path} served run ${headers.get('x-run-id')}, not ${runId}`);
    return body;
  };
  const { villes } = await read<{ villes: string[] }>('/api/villes');
  return {
    villes,
    ca_mensuel: await read('/api/ca-mensuel'),
    repartition: await read('/api/repartition'),
    // 100 is the API's largest limit; the generated data has fewer models per city.
    top_modeles: await read('/api/top-modeles?limit=100'),
    rows_valid: rowsValid,
  };
}
