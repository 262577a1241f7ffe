#!/usr/bin/env node
// `pnpm test`: builds every package, runs every package's tests one package at a time (turbo, going on past
// a failure so that the totals cover the whole suite), and always ends with one line of totals
// (`N passed, N failed, N skipped`, scripts/test-summary.js), whether the build or any test failed or not.
// Fails when a step failed, a test failed, or no test ran. Extra arguments go to turbo (`pnpm test --
// --filter=@autoconnect/api` tests one package and what it depends on).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { clearTotals, totals, totalsLine } from './test-summary.js';

const turbo = createRequire(import.meta.url).resolve('turbo/bin/turbo');

function run(args) {
  const result = spawnSync(process.execPath, [turbo, ...args], { stdio: 'inherit' });
  return result.status ?? 1;
}

// pnpm hands `pnpm test -- --filter=…` over with its `--`, which turbo would pass on to every task.
const extra = process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === '--'));
clearTotals();
const built = run(['run', 'build', ...extra]);
const tested = built === 0 ? run(['run', 'test', '--concurrency=1', '--continue', ...extra]) : null;
const counted = totals();
if (built !== 0) console.log('The build failed: no test ran (see above).');
else if (tested !== 0 && counted.failed === 0) console.log(`turbo run test exited with ${tested} (see above).`);
console.log(totalsLine(counted));
process.exit(built !== 0 || tested !== 0 || counted.failed > 0 || counted.passed === 0 ? 1 : 0);
