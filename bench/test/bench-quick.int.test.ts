// `pnpm bench --quick` end to end: the harness starts every role as its own process, measures each method,
// finds every method's metrics equal to the product's, writes its report and leaves no key in Redis.
// Spawns the built roles (apps/*/dist) and the built harness (bench/dist): run after `pnpm build`.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { BenchReport } from '../src/bench-report.js';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(benchDir, '..');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
let outDir = '';

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('pnpm bench --quick', () => {
  it('measures every method on a small file, all equal to the product, and cleans up', async () => {
    for (const entry of ['bench/dist/bench.js', ...['api', 'orchestrator', 'worker', 'aggregator'].map((r) => `apps/${r}/dist/main.js`)]) {
      if (!existsSync(join(repoRoot, entry))) throw new Error(`${entry} is missing: run pnpm build first`);
    }
    outDir = await mkdtemp(join(tmpdir(), 'bench-quick-'));
    // Two worker counts and 1 s of load keep this under half a minute on two busy cores.
    const run = spawnSync(process.execPath, ['dist/bench.js', '--quick', '--workers', '2,1', '--http-seconds', '1', '--out', outDir], {
      cwd: benchDir,
      env: { ...process.env, REDIS_URL: redisUrl },
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });

    const report = JSON.parse(await readFile(join(outDir, 'latest.json'), 'utf8')) as BenchReport;
    expect(await readFile(join(outDir, 'latest.md'), 'utf8')).toContain('| product end to end, 2 workers |');
    expect(report.allEqual).toBe(true);
    const [file] = report.files;
    expect(file.rows).toBe(20_000);
    expect(file.summary.map((s) => s.method)).toEqual(['product-2w', 'product-1w', 'duckdb', 'core', 'naive-fast-csv']);
    for (const s of file.summary) {
      expect(s.medianSeconds).toBeGreaterThan(0);
      expect(s.peakRssBytes).toBeGreaterThan(10 * 2 ** 20);
    }
    const products = file.measurements.filter((m) => m.kind === 'product');
    for (const m of products) {
      expect(m.chunks).toBeGreaterThan(0);
      expect(m.redis?.samples).toBeGreaterThan(0);
      expect(m.roles?.map((r) => r.role).sort()).toEqual(['aggregator', 'api', 'orchestrator', ...Array(m.workers).fill('worker')].sort());
      // Start-up is measured apart (not timed): the orchestrator's and workers' include their warm-up.
      expect(m.readySeconds).toBeGreaterThan(0);
      expect(m.hostStealPercent).toBeGreaterThanOrEqual(0);
      for (const role of m.roles ?? []) expect(role.startCpuSeconds).toBeGreaterThan(0);
    }
    expect(file.summary[0].startUp?.cpuByRole.orchestrator).toBeGreaterThan(0);
    expect(await readFile(join(outDir, 'latest.md'), 'utf8')).toContain('- Start-up before POST (not timed), product end to end, 2 workers');
    expect(file.http?.caMensuel.requests).toBeGreaterThan(0);
    // The scale-out runs: every pipeline role held to half a core, 1 then 2 workers (or said skipped, and why).
    if (report.scaling?.skipped) expect(report.scaling.method).toMatch(/cgroup/);
    else expect(report.scaling?.runs.map((run) => [run.workers, run.equal])).toEqual([[1, true], [2, true]]);
    expect(file.http?.caMensuel.non2xx).toBe(0);
    expect(file.http?.health.requests).toBeGreaterThan(0);
    // The reference: the API's two answers, byte for byte, from a bare node:http server.
    const sameBytes = file.http!.sameBytes!;
    expect(sameBytes.caMensuel.responseBytes).toBe(file.http!.caMensuel.responseBytes);
    expect(sameBytes.health.responseBytes).toBe(file.http!.health.responseBytes);
    expect(sameBytes.caMensuel.non2xx + sameBytes.health.non2xx).toBe(0);
    // Each side's CPU per answer, read from the server process and from autocannon's, over the same load.
    for (const f of [file.http!.caMensuel, file.http!.health, sameBytes.caMensuel, sameBytes.health]) {
      expect(f.serverCpuUsPerAnswer).toBeGreaterThan(0);
      expect(f.clientCpuUsPerAnswer).toBeGreaterThan(0);
      expect(f.serverCoresBusy).toBeGreaterThan(0);
      expect(f.serverCoresBusy).toBeLessThan(2.5);
    }
    expect(report.targets.length).toBeGreaterThanOrEqual(4);
    expect(report.machine.pinnedNode).toMatch(/^v\d+\.\d+\.\d+$/);

    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
    try {
      for (const m of products) expect(await redis.keys(`${m.redisPrefix}:*`)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  }, 120_000);
});
