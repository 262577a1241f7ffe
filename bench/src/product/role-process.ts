// One role of the product started as its container starts it (`node apps/<role>/dist/main.js`), its output
// kept for failure messages, its peak memory readable while it runs, stopped with SIGTERM and a deadline.
import { spawn, type ChildProcess } from 'node:child_process';
import { readCpuSeconds, readProcMemory } from './proc-status.js';

export type RoleName = 'api' | 'orchestrator' | 'worker' | 'aggregator';

export class RoleProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  private readonly output: string[] = [];
  private exitDescription: string | null = null;

  constructor(
    readonly label: string,
    readonly role: RoleName,
    options: { repoRoot: string; env: Record<string, string>; nodeArgs?: string[] },
  ) {
    this.child = spawn(process.execPath, [...(options.nodeArgs ?? []), `apps/${role}/dist/main.js`], {
      cwd: options.repoRoot,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (text: string): void => {
      this.output.push(text);
      if (this.output.length > 200) this.output.splice(0, 100);
    };
    this.child.stdout?.setEncoding('utf8').on('data', keep);
    this.child.stderr?.setEncoding('utf8').on('data', keep);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitDescription = `exited ${code ?? signal}`;
        resolve();
      });
    });
  }

  get running(): boolean {
    return this.exitDescription === null;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** The last lines the role wrote, prefixed with its label. */
  tail(lines = 20): string {
    const all = this.output.join('').trimEnd().split('\n').slice(-lines);
    return [`[${this.label}] ${this.exitDescription ?? 'running'}`, ...all.map((line) => `[${this.label}] ${line}`)].join('\n');
  }

  async peakRssBytes(): Promise<number | null> {
    return (await readProcMemory(this.pid))?.peakRssBytes ?? null;
  }

  cpuSeconds(): Promise<number | null> {
    return readCpuSeconds(this.pid);
  }

  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves once the process is gone. */
  async stop(timeoutMs: number): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), timeoutMs);
    });
    const outcome = await Promise.race([this.exited.then(() => 'done' as const), deadline]);
    clearTimeout(timer);
    if (outcome === 'late') {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}
