// The whole service as separate processes, as compose runs it, on a Redis of its own with AOF: the API, the
// orchestrator, two workers and the aggregator, each of which a test may kill, stop, pause and start again.
// Tests follow runs through Redis (a client of their own) and read results through the API, as users do.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createLogger } from '@autoconnect/config';
import {
  createPipelineClient,
  isFinalStatus,
  QueueName,
  type PipelineClient,
  type RunReport,
} from '@autoconnect/pipeline';
import { freePort, pollUntil, PrivateRedis, ROLE_NODE_OPTIONS, SpawnedProcess } from '@autoconnect/testkit';
import type { Queue } from 'bullmq';
import { repoPath, repoRoot } from '../../src/repo-paths.js';

export type ProcessName = 'api' | 'orchestrator' | 'worker-1' | 'worker-2' | 'aggregator';

const ENTRY: Record<ProcessName, string> = {
  api: 'apps/api/dist/main.js',
  orchestrator: 'apps/orchestrator/dist/main.js',
  'worker-1': 'apps/worker/dist/main.js',
  'worker-2': 'apps/worker/dist/main.js',
  aggregator: 'apps/aggregator/dist/main.js',
};

export const PROCESS_NAMES = Object.keys(ENTRY) as ProcessName[];

/** The four results endpoints, each at its widest: together they are every published number. */
const RESULT_PATHS = ['/api/villes', '/api/ca-mensuel', '/api/repartition', '/api/top-modeles?limit=100'];

export interface ServedResults {
  runId: string;
  /** The bodies of RESULT_PATHS, byte for byte, joined. */
  bodies: string;
}

export interface MemorySnapshot {
  sizes: Map<string, number>;
  total: number;
  used: number;
}

export interface ChaosStackOptions {
  /** Variables every process gets (CHUNK_BYTES, LOCK_DURATION_MS…). */
  env: Record<string, string>;
  /** Variables of the API only. */
  apiEnv?: Record<string, string>;
}

const quiet = createLogger('chaos', 'silent');

export class ChaosStack {
  readonly processes = new Map<ProcessName, SpawnedProcess>();
  /** A client of the test's own on the stack's Redis: reports, queues, and starting runs with other settings. */
  readonly client: PipelineClient;
  /** A plain connection for inspecting keys and memory. */
  readonly inspector: Redis;

  private constructor(
    readonly redis: PrivateRedis,
    readonly dataDir: string,
    readonly prefix: string,
    readonly port: number,
    private readonly options: ChaosStackOptions,
  ) {
    this.client = createPipelineClient({ REDIS_URL: redis.url, REDIS_PREFIX: prefix }, quiet);
    for (const queue of this.client.queues) queue.on('error', () => undefined);
    this.inspector = new Redis(redis.url, { maxRetriesPerRequest: null });
    this.inspector.on('error', () => undefined);
  }

  static async start(options: ChaosStackOptions): Promise<ChaosStack> {
    const redis = await PrivateRedis.start({ appendOnly: true });
    const dataDir = await mkdtemp(join(tmpdir(), 'autoconnect-chaos-'));
    const stack = new ChaosStack(redis, dataDir, 'chaos', await freePort(), options);
    for (const name of PROCESS_NAMES) stack.start(name);
    await stack.waitUntilUp();
    return stack;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  queue(name: QueueName): Queue {
    return this.client.queues.find((queue) => queue.name === name)!;
  }

  /** Starts a process (again): a role as its container's command does, with the stack's settings. */
  start(name: ProcessName, extraEnv: Record<string, string> = {}): SpawnedProcess {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      NODE_OPTIONS: ROLE_NODE_OPTIONS,
      REDIS_URL: this.redis.url,
      REDIS_PREFIX: this.prefix,
      DATA_DIR: this.dataDir,
      LOG_LEVEL: 'warn',
      ...this.options.env,
      ...(name === 'api' ? { HOST: '127.0.0.1', PORT: String(this.port), ...this.options.apiEnv } : {}),
      ...extraEnv,
    };
    const spawned = new SpawnedProcess(name, ['node', repoPath(ENTRY[name])], { cwd: repoRoot, env });
    this.processes.set(name, spawned);
    return spawned;
  }

  process(name: ProcessName): SpawnedProcess {
    const spawned = this.processes.get(name);
    if (!spawned) throw new Error(`${name} was never started`);
    return spawned;
  }

  /** SIGKILL, and the exit awaited. */
  async kill(name: ProcessName): Promise<void> {
    await this.process(name).stop('SIGKILL', 10_000);
  }

  /** SIGTERM: the role finishes its job and exits 0. */
  async stop(name: ProcessName): Promise<void> {
    const exit = await this.process(name).stop('SIGTERM', 15_000);
    if (exit?.code !== 0) throw new Error(`${name} did not stop cleanly: ${JSON.stringify(exit)}\n${this.process(name).output()}`);
  }

  /** Waits until the API answers /ready and every role that runs listens on its queue. */
  async waitUntilUp(timeoutMs = 60_000): Promise<void> {
    const expected = (queue: QueueName) =>
      [...this.processes.entries()].filter(([name, spawned]) => spawned.running && roleQueue(name) === queue).length;
    await pollUntil(
      async () => {
        for (const [name, spawned] of this.processes) if (!spawned.running && name === 'api') throw new Error(`the API exited:\n${spawned.output()}`);
        const ready = await fetch(`${this.baseUrl}/ready`).then((r) => r.status === 200, () => false);
        if (!ready) return undefined;
        for (const name of [QueueName.split, QueueName.map, QueueName.aggregate]) {
          const workers = await this.queue(name).getWorkersCount().catch(() => -1);
          if (workers !== expected(name)) return undefined;
        }
        return true;
      },
      { what: 'the API to be ready and every queue to have its workers', timeoutMs, intervalMs: 50, seen: () => this.output() },
    );
  }

  async post(path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** POST /api/process; the new run's id. */
  async startRun(source: string): Promise<string> {
    const res = await this.post('/api/process', { source });
    if (res.status !== 202) throw new Error(`POST /api/process answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { job_id: string }).job_id;
  }

  /** The run's report, read from Redis (the API may be the process under test); null while Redis is away. */
  async report(runId: string): Promise<RunReport | null> {
    return this.client.getRun(runId).catch(() => null);
  }

  async waitForStatus(runId: string, accept: (report: RunReport) => boolean, what: string, timeoutMs = 60_000): Promise<RunReport> {
    let last: RunReport | null = null;
    return pollUntil(
      async () => {
        last = (await this.report(runId)) ?? last;
        if (last && accept(last)) return last;
        if (last && isFinalStatus(last.status)) throw new Error(`run ${runId} ended ${last.status} (${last.error ?? ''}) before ${what}`);
        return undefined;
      },
      { what, timeoutMs, intervalMs: 5, seen: () => `${JSON.stringify(last)}\n${this.output()}` },
    );
  }

  async waitForEnd(runId: string, timeoutMs = 60_000): Promise<RunReport> {
    let last: RunReport | null = null;
    return pollUntil(
      async () => {
        last = (await this.report(runId)) ?? last;
        return last && isFinalStatus(last.status) ? last : undefined;
      },
      { what: `run ${runId} to end`, timeoutMs, intervalMs: 20, seen: () => `${JSON.stringify(last)}\n${this.output()}` },
    );
  }

  /** The results the API serves, once they are those of `runId`. */
  async servedResults(runId: string, timeoutMs = 10_000): Promise<ServedResults> {
    return pollUntil(
      async () => {
        const answers = await Promise.all(RESULT_PATHS.map((path) => fetch(`${this.baseUrl}${path}`).catch(() => null)));
        if (answers.some((res) => res === null || res.status !== 200 || res.headers.get('x-run-id') !== runId)) return undefined;
        const bodies = await Promise.all(answers.map((res) => res!.text()));
        return { runId, bodies: bodies.join('\n') };
      },
      { what: `the API to serve the results of ${runId}`, timeoutMs, intervalMs: 50 },
    );
  }

  /** Keys of the stack's Redis matching `pattern`. */
  async keys(pattern: string): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.inspector.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      found.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    return found;
  }

  /** What Redis holds: every key's MEMORY USAGE, their sum, and used_memory (allocator and buffers included). */
  async memory(): Promise<MemorySnapshot> {
    const sizes = new Map<string, number>();
    for (const key of await this.keys('*')) sizes.set(key, (await this.inspector.memory('USAGE', key, 'SAMPLES', 0)) ?? 0);
    const used = Number(/used_memory:(\d+)/.exec(await this.inspector.info('memory'))?.[1] ?? 0);
    return { sizes, total: [...sizes.values()].reduce((a, b) => a + b, 0), used };
  }

  /** The last lines of every process, for failure messages. */
  output(): string {
    return [...this.processes.values()].map((spawned) => spawned.output(15)).join('\n');
  }

  async close(): Promise<void> {
    await Promise.all([...this.processes.values()].map((spawned) => spawned.stop('SIGKILL', 10_000)));
    await this.client.close();
    this.inspector.disconnect();
    await this.redis.close();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

function roleQueue(name: ProcessName): QueueName | null {
  if (name === 'orchestrator') return QueueName.split;
  if (name === 'aggregator') return QueueName.aggregate;
  if (name.startsWith('worker')) return QueueName.map;
  return null;
}
