// A role started as its own process, the way a container starts it: output kept for failure messages,
// exit awaited with a deadline.
import { spawn, type ChildProcess } from 'node:child_process';

export interface RoleExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class SpawnedRole {
  readonly child: ChildProcess;
  readonly exited: Promise<RoleExit>;
  private readonly chunks: string[] = [];
  private exit: RoleExit | null = null;

  constructor(
    readonly name: string,
    args: string[],
    options: { cwd: string; env: Record<string, string> },
  ) {
    const [program, ...rest] = args;
    // `node` in a container is the image's Node; here it is the Node running the tests.
    this.child = spawn(program === 'node' ? process.execPath : program, rest, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8').on('data', (text: string) => this.chunks.push(text));
    this.child.stderr?.setEncoding('utf8').on('data', (text: string) => this.chunks.push(text));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  get running(): boolean {
    return this.exit === null;
  }

  /** The last lines the process wrote, prefixed with its name. */
  output(lines = 40): string {
    const all = this.chunks.join('').trimEnd().split('\n');
    return all
      .slice(-lines)
      .map((line) => `[${this.name}] ${line}`)
      .join('\n');
  }

  /** Sends `signal` and waits for the exit, at most `timeoutMs`; null when the process is still running. */
  async stop(signal: NodeJS.Signals, timeoutMs: number): Promise<RoleExit | null> {
    if (!this.running) return this.exit;
    this.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
