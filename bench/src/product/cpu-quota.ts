// Holds a process to a share of one core, as if it ran on a small machine of its own: a CPU cgroup of its own
// with a CFS quota (cgroup v1 `cpu.cfs_quota_us`, or v2 `cpu.max`). Needs write access to the cgroup
// filesystem (root); `cpuQuotaSupport()` says whether it is there and why not otherwise.
import { access, constants, mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const V1_ROOT = '/sys/fs/cgroup/cpu';
const V2_ROOT = '/sys/fs/cgroup';
const PERIOD_US = 100_000;

export type QuotaSupport = { kind: 'v1' | 'v2'; root: string } | { kind: 'none'; why: string };

async function writable(path: string): Promise<boolean> {
  return access(path, constants.W_OK).then(
    () => true,
    () => false,
  );
}

export async function cpuQuotaSupport(): Promise<QuotaSupport> {
  if ((await writable(join(V1_ROOT, 'cgroup.procs'))) && (await writable(V1_ROOT))) return { kind: 'v1', root: V1_ROOT };
  const controllers = await readFile(join(V2_ROOT, 'cgroup.controllers'), 'utf8').catch(() => '');
  if (controllers.split(/\s+/).includes('cpu') && (await writable(V2_ROOT))) return { kind: 'v2', root: V2_ROOT };
  return { kind: 'none', why: `neither ${V1_ROOT} (cgroup v1 cpu) nor ${V2_ROOT} with the cpu controller (v2) can be written here` };
}

/** One process's own cgroup, quota `cores` of a core (0.1: 10 ms of every 100 ms). */
export class CpuQuota {
  private constructor(
    readonly dir: string,
    private readonly support: Exclude<QuotaSupport, { kind: 'none' }>,
  ) {}

  static async hold(pid: number, cores: number, name: string, support: QuotaSupport): Promise<CpuQuota> {
    if (support.kind === 'none') throw new Error(support.why);
    const dir = join(support.root, name);
    await mkdir(dir, { recursive: true });
    const quota = Math.max(1000, Math.round(cores * PERIOD_US));
    if (support.kind === 'v1') {
      await writeFile(join(dir, 'cpu.cfs_period_us'), String(PERIOD_US));
      await writeFile(join(dir, 'cpu.cfs_quota_us'), String(quota));
    } else {
      await writeFile(join(dir, 'cpu.max'), `${quota} ${PERIOD_US}`);
    }
    // cgroup.procs moves the whole process, every thread it has and will have.
    await writeFile(join(dir, 'cgroup.procs'), String(pid));
    return new CpuQuota(dir, support);
  }

  /** Removes the group once its process is gone (a process still in it is moved back to the root first). */
  async release(): Promise<void> {
    const left = (await readFile(join(this.dir, 'cgroup.procs'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
    for (const pid of left) await writeFile(join(this.support.root, 'cgroup.procs'), pid).catch(() => undefined);
    await rmdir(this.dir).catch(() => undefined);
  }
}
