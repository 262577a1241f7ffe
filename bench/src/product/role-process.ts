// One role of the product started as its container starts it (`node apps/<role>/dist/main.js`), its output
// kept for failure messages, its peak memory and CPU readable while it runs, stopped with SIGTERM and a deadline.
import { SpawnedProcess } from '@autoconnect/testkit';
import { readCpuSeconds, readProcMemory } from './proc-status.js';

export type RoleName = 'api' | 'orchestrator' | 'worker' | 'aggregator';

export class RoleProcess extends SpawnedProcess {
  constructor(
    readonly label: string,
    readonly role: RoleName,
    options: { repoRoot: string; env: Record<string, string>; nodeArgs?: string[] },
  ) {
    super(label, ['node', ...(options.nodeArgs ?? []), `apps/${role}/dist/main.js`], { cwd: options.repoRoot, env: options.env });
  }

  /** How the role stands, then the last lines it wrote, each prefixed with its label. */
  tail(lines = 20): string {
    const state = this.running ? 'running' : `exited ${this.child.exitCode ?? this.child.signalCode}`;
    return [`[${this.label}] ${state}`, this.output(lines)].filter(Boolean).join('\n');
  }

  async peakRssBytes(): Promise<number | null> {
    return (await readProcMemory(this.pid))?.peakRssBytes ?? null;
  }

  cpuSeconds(): Promise<number | null> {
    return readCpuSeconds(this.pid);
  }

  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves once the process is gone. */
  async terminate(timeoutMs: number): Promise<void> {
    if ((await this.stop('SIGTERM', timeoutMs)) === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}
