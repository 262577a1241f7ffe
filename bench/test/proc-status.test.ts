import { describe, expect, it } from '@jest/globals';
import { cpus } from 'node:os';
import { readCpuSeconds, readHostCpuTimes } from '../src/product/proc-status.js';

function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('proc-status', () => {
  it("reads this process's CPU seconds, which grow while it computes", async () => {
    const before = await readCpuSeconds(process.pid);
    // Computes until Node itself counts 0.15 s of CPU (a busy machine gives less CPU per second of wall time).
    const start = process.cpuUsage();
    const deadline = performance.now() + 10_000;
    while (performance.now() < deadline) {
      spin(20);
      const used = process.cpuUsage(start);
      if (used.user + used.system >= 150_000) break;
    }
    const after = await readCpuSeconds(process.pid);
    expect(before).not.toBeNull();
    expect(after! - before!).toBeGreaterThanOrEqual(0.1);
  });

  it("reads the machine's CPU times: the total grows by about the cores' time, steal stays within it", async () => {
    const before = await readHostCpuTimes();
    const started = performance.now();
    spin(300);
    const after = await readHostCpuTimes();
    const elapsed = (performance.now() - started) / 1000;
    expect(before).not.toBeNull();
    expect(after!.stealSeconds).toBeGreaterThanOrEqual(before!.stealSeconds);
    expect(after!.stealSeconds).toBeLessThanOrEqual(after!.totalSeconds);
    // Every CPU's time, whatever its state: near elapsed × cores (ticks are 10 ms).
    const cores = (after!.totalSeconds - before!.totalSeconds) / elapsed;
    expect(cores).toBeGreaterThan(0.5);
    expect(cores).toBeLessThan(cpus().length + 1);
  });

  it('answers null for a process that is gone', async () => {
    expect(await readCpuSeconds(2 ** 22 + 12345)).toBeNull();
  });
});
