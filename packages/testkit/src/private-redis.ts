// A redis-server of a test's own, on a free port and in a folder of its own, away from the shared Redis: the
// test may pause it (SIGSTOP), stop it (SIGTERM), kill it (SIGKILL) and start it again on the same port.
//
// With `appendOnly`, it persists every write with `appendfsync always` (written and fsynced before it is
// answered), so what it acknowledged is exactly what it reloads after a SIGKILL and a test's outcome does not
// depend on where the last fsync fell. Production runs `everysec` (compose), where a crash of the machine may
// lose the last second of writes; BullMQ then runs the lost steps again, which the pipeline's steps absorb.
// Without it, the server keeps nothing: started again, it is empty.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';
import { pollUntil } from './poll-until.js';
import { SpawnedProcess } from './spawned-process.js';

export interface PrivateRedisOptions {
  /** Append-only persistence, reloaded when the server starts again; off unless said. */
  appendOnly?: boolean;
}

async function answersPing(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    // LOADING (still reading its AOF) is an error: not ready yet.
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

export class PrivateRedis {
  private server: SpawnedProcess | null = null;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly options: PrivateRedisOptions,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), await mkdtemp(join(tmpdir(), 'autoconnect-redis-')), options);
    await redis.startServer();
    return redis;
  }

  /** Starts the server on its port and folder (reloading its AOF when append-only) and waits until it answers. */
  async startServer(): Promise<void> {
    const persistence = this.options.appendOnly
      ? ['--appendonly', 'yes', '--appendfsync', 'always']
      : ['--appendonly', 'no'];
    const server = new SpawnedProcess(
      'redis-server',
      [
        'redis-server',
        '--port', String(this.port),
        '--bind', '127.0.0.1',
        '--dir', this.dir,
        '--save', '',
        ...persistence,
        // As compose runs it: BullMQ must never lose a key.
        '--maxmemory-policy', 'noeviction',
      ],
      { cwd: this.dir, env: { PATH: process.env.PATH ?? '' } },
    );
    this.server = server;
    await pollUntil(
      async () => {
        if (!server.running) throw new Error(`redis-server exited:\n${server.output()}`);
        return (await answersPing(this.url)) ? true : undefined;
      },
      { what: `redis-server on port ${this.port}`, timeoutMs: 15_000, seen: () => server.output() },
    );
  }

  /** Ends the server with `signal` (SIGTERM: a clean shutdown; SIGKILL: a crash) and waits for its exit. */
  async stopServer(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    if (!this.server?.running) return;
    this.resume();
    if ((await this.server.stop(signal, 10_000)) === null) throw new Error(`redis-server did not exit on ${signal}`);
  }

  /** SIGSTOP: the server keeps its connections open and answers nothing. */
  pause(): void {
    this.server?.child.kill('SIGSTOP');
  }

  resume(): void {
    this.server?.child.kill('SIGCONT');
  }

  /** Stops the server for good and deletes its folder. */
  async close(): Promise<void> {
    if (this.server?.running) {
      this.resume();
      if ((await this.server.stop('SIGTERM', 5_000)) === null) await this.server.stop('SIGKILL', 5_000);
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
