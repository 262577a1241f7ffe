import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summariseProfile } from '../src/profile-summary.js';

let dir = '';
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('summariseProfile', () => {
  it('adds up self time per function and per area, idle left out of the busy share', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-profile-'));
    const path = join(dir, 'role.cpuprofile');
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9, columnNumber: 0, scriptId: '1' });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', '') },
        { id: 2, callFrame: frame('(idle)', '') },
        { id: 3, callFrame: frame('scan', 'file:///repo/packages/core/dist/csv/record-scanner.js') },
        { id: 4, callFrame: frame('parse', 'file:///repo/node_modules/.pnpm/ioredis@5/node_modules/ioredis/built/x.js') },
        { id: 5, callFrame: frame('(garbage collector)', '') },
      ],
      startTime: 0,
      endTime: 10_000,
      // time deltas are in microseconds
      samples: [2, 3, 3, 3, 4, 5, 2],
      timeDeltas: [4000, 1000, 1000, 1000, 2000, 1000, 0],
    };
    await writeFile(path, JSON.stringify(profile));
    const summary = await summariseProfile('role', path);
    expect(summary).toMatchObject({ totalMs: 10, busyMs: 6 });
    expect(summary.areas).toEqual([
      { name: 'core (packages/core)', ms: 3, busyPercent: 50 },
      { name: 'ioredis', ms: 2, busyPercent: 33.3 },
      { name: 'garbage collector', ms: 1, busyPercent: 16.7 },
    ]);
    expect(summary.functions[0]).toEqual({ name: 'scan packages/core/dist/csv/record-scanner.js:10', ms: 3, busyPercent: 50 });

    // Samples are stamped at 4 (idle), 5, 6, 7 (core), 9, 10 and 10 ms; 5.5–7 ms keeps two of the core's.
    const windowed = await summariseProfile('role', path, { startUs: 5_500, endUs: 7_000 });
    expect(windowed).toMatchObject({ totalMs: 2, busyMs: 2, areas: [{ name: 'core (packages/core)', ms: 2, busyPercent: 100 }] });
  });
});
