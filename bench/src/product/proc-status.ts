// A process's memory as Linux reports it (/proc/<pid>/status): VmHWM is the peak resident set so far.
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
