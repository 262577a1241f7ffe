#!/usr/bin/env node
// Runs a package's jest projects: `unit` in parallel, then `integration` serially (real Redis, processes),
// the second even when the first failed, so every test counts. Jest needs --experimental-vm-modules for
// native ESM on Node 20. Extra arguments go to both runs. Each run's totals land in
// test-output/jest-<project>.json for scripts/test-summary.js.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const jestBin = join(dirname(require.resolve('jest/package.json')), 'bin/jest.js');
const extra = process.argv.slice(2);
const outputDir = join(process.cwd(), 'test-output');
mkdirSync(outputDir, { recursive: true });

let status = 0;
for (const [project, flags] of [
  ['unit', []],
  ['integration', ['--runInBand']],
]) {
  const outputFile = join(outputDir, `jest-${project}.json`);
  rmSync(outputFile, { force: true });
  const result = spawnSync(
    process.execPath,
    [
      '--experimental-vm-modules',
      '--no-warnings',
      jestBin,
      '--selectProjects',
      project,
      '--passWithNoTests',
      '--json',
      `--outputFile=${outputFile}`,
      ...flags,
      ...extra,
    ],
    { stdio: 'inherit' },
  );
  if (status === 0 && result.status !== 0) status = result.status ?? 1;
}
process.exit(status);
