#!/usr/bin/env node
// Runs a package's jest projects: `unit` in parallel, then `integration` serially (real Redis, processes).
// Jest needs --experimental-vm-modules for native ESM on Node 20. Extra arguments go to both runs.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const jestBin = join(dirname(require.resolve('jest/package.json')), 'bin/jest.js');
const extra = process.argv.slice(2);

for (const [project, flags] of [
  ['unit', []],
  ['integration', ['--runInBand']],
]) {
  const result = spawnSync(
    process.execPath,
    ['--experimental-vm-modules', '--no-warnings', jestBin, '--selectProjects', project, '--passWithNoTests', ...flags, ...extra],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}
