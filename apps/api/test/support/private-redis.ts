// A redis-server of a test's own on a free port (no persistence), which the test may pause (SIGSTOP),
// resume, kill and start again empty: the faults the API must ride out, away from the shared Redis.
import { Redis } from 'ioredis';
import { freePort, SpawnedProcess } from '@autoconnect/testkit';
import { eventually } from './test-app.js';

async function answersPing(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

export class PrivateRedis {
  private server: SpawnedProcess | null = null;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.restart();
    return redis;
  }

  /** Starts a fresh, empty server on the same port and waits until it answers. */
  async restart(): Promise<void> {
    const server = new SpawnedProcess(
      'redis-server',
      ['redis-server', '--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { cwd: process.cwd(), env: { PATH: process.env.PATH ?? '' } },
    );
    this.server = server;
    await eventually(async () => {
      if (!server.running) throw new Error(`redis-server exited:\n${server.output()}`);
      return (await answersPing(this.url)) ? true : undefined;
    }, `redis-server on port ${this.port}`);
  }

  /** SIGSTOP: the server keeps its connections open and answers nothing. */
  pause(): void {
    this.server?.child.kill('SIGSTOP');
  }

  resume(): void {
    this.server?.child.kill('SIGCONT');
  }

  /** SIGKILL: connections are refused until restart(); the data is gone. */
  async kill(): Promise<void> {
    if (!this.server?.running) return;
    await this.server.stop('SIGKILL', 5_000);
  }

  async stop(): Promise<void> {
    this.resume();
    if (this.server?.running && (await this.server.stop('SIGTERM', 5_000)) === null) await this.kill();
  }
}
