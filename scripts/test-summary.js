#!/usr/bin/env node
// Adds up the jest totals every package wrote (scripts/run-jest.js, in <package>/test-output/jest-*.json)
// into the one closing line of `pnpm test`: `N passed, N failed, N skipped`. A test file that could not run
// at all counts as one failed test. Run alone, it prints the totals of the last run.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Every workspace package that may have test output. */
function packageDirs() {
  return ['apps', 'packages']
    .flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name)))
    .concat([join(root, 'e2e'), join(root, 'bench')]);
}

function outputFiles() {
  return packageDirs().flatMap((dir) => {
    const outputDir = join(dir, 'test-output');
    if (!existsSync(outputDir)) return [];
    return readdirSync(outputDir)
      .filter((name) => /^jest-.*\.json$/.test(name))
      .map((name) => join(outputDir, name));
  });
}

/** Forgets the totals of an earlier run, so a package that does not run this time counts nothing. */
export function clearTotals() {
  for (const file of outputFiles()) rmSync(file, { force: true });
}

export function totals() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const file of outputFiles()) {
    const result = JSON.parse(readFileSync(file, 'utf8'));
    passed += result.numPassedTests;
    failed += result.numFailedTests + (result.numRuntimeErrorTestSuites ?? 0);
    skipped += result.numPendingTests + (result.numTodoTests ?? 0);
  }
  return { passed, failed, skipped };
}

export function totalsLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed, ${skipped} skipped`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const counted = totals();
  console.log(totalsLine(counted));
  if (counted.passed === 0 || counted.failed > 0) process.exit(1);
}
