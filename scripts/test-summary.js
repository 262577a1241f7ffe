#!/usr/bin/env node
// Adds up the jest totals every package wrote (scripts/run-jest.js) into one closing line, and fails when
// no test ran at all: a green suite must have run something.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const packageDirs = ['apps', 'packages']
  .flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name)))
  .concat([join(root, 'e2e'), join(root, 'bench')]);

let passed = 0;
let failed = 0;
let skipped = 0;
for (const dir of packageDirs) {
  const outputDir = join(dir, 'test-output');
  if (!existsSync(outputDir)) continue;
  for (const file of readdirSync(outputDir).filter((name) => /^jest-.*\.json$/.test(name))) {
    const totals = JSON.parse(readFileSync(join(outputDir, file), 'utf8'));
    passed += totals.numPassedTests;
    failed += totals.numFailedTests;
    skipped += totals.numPendingTests + (totals.numTodoTests ?? 0);
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
if (passed === 0 || failed > 0) process.exit(1);
