// A process's memory and CPU time as Linux reports them: /proc/<pid>/status (VmHWM is the peak resident set so
// far) and /proc/<pid>/stat (user and system time).
import { readFile } from 'node:fs/promises';

export interface ProcMemory {
  peakRssBytes: number;
  rssBytes: number;
}

export async function readProcMemory(pid: number): Promise<ProcMemory | null> {
  let status: string;
  try {
    status = await readFile(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null; // gone, or not Linux
  }
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { peakRssBytes: kib('VmHWM'), rssBytes: kib('VmRSS') };
}

/** Linux reports /proc times in USER_HZ ticks, 100 per second on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds the process has used so far; null once it is gone. */
export async function readCpuSeconds(pid: number): Promise<number | null> {
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of the line (utime, stime) are the 12th and 13th after the name.
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

export interface HostCpuTimes {
  /** Every CPU's time so far, all states summed. */
  totalSeconds: number;
  /** Time the hypervisor ran something else while this machine's CPUs wanted to run. */
  stealSeconds: number;
}

/** The machine's CPU times from /proc/stat's first line; null where there is no /proc/stat. */
export async function readHostCpuTimes(): Promise<HostCpuTimes | null> {
  let stat: string;
  try {
    stat = await readFile('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is counted in user too).
  const ticks = stat.slice(0, stat.indexOf('\n')).trim().split(/\s+/).slice(1, 9).map(Number);
  if (ticks.length < 8 || ticks.some((t) => !Number.isFinite(t))) return null;
  return { totalSeconds: ticks.reduce((a, b) => a + b, 0) / TICKS_PER_SECOND, stealSeconds: ticks[7] / TICKS_PER_SECOND };
}
