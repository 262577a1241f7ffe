// A program started as its own process, the way a container starts a role: the tail of its output kept for
// failure messages, its exit awaited with a deadline.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Output chunks kept: enough for a failure message, bounded however long the process talks. */
const KEPT_CHUNKS = 400;

export class SpawnedProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<ProcessExit>;
  private readonly chunks: string[] = [];
  private exit: ProcessExit | null = null;

  constructor(
    readonly name: string,
    args: string[],
    options: { cwd: string; env: Record<string, string> },
  ) {
    const [program, ...rest] = args;
    // `node` in a container is the image's Node; here it is the Node running the caller.
    this.child = spawn(program === 'node' ? process.execPath : program, rest, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (text: string): void => {
      this.chunks.push(text);
      if (this.chunks.length > KEPT_CHUNKS) this.chunks.splice(0, KEPT_CHUNKS / 2);
    };
    this.child.stdout?.setEncoding('utf8').on('data', keep);
    this.child.stderr?.setEncoding('utf8').on('data', keep);
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

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** The last lines the process wrote, prefixed with its name. */
  output(lines = 40): string {
    return this.chunks
      .join('')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .map((line) => `[${this.name}] ${line}`)
      .join('\n');
  }

  /** Sends `signal` and waits for the exit, at most `timeoutMs`; null when the process is still running. */
  async stop(signal: NodeJS.Signals, timeoutMs: number): Promise<ProcessExit | null> {
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
