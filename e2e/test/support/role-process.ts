// A role started as its own Node process from its build (`node apps/<role>/dist/main.js`), as a container runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');

export class RoleProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private output = '';

  constructor(
    readonly role: 'orchestrator' | 'worker' | 'aggregator',
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, [join(repoRoot, 'apps', role, 'dist/main.js')], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (text: string) => {
      this.output = (this.output + text).slice(-20_000);
    };
    this.child.stdout?.setEncoding('utf8').on('data', keep);
    this.child.stderr?.setEncoding('utf8').on('data', keep);
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get log(): string {
    return this.output;
  }

  /** Peak resident memory so far (kB), from /proc while the process lives. */
  peakRssKb(): Promise<number | null> {
    return import('node:fs/promises')
      .then(({ readFile }) => readFile(`/proc/${this.pid}/status`, 'utf8'))
      .then((status) => Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN))
      .catch(() => null);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
