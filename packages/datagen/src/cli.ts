#!/usr/bin/env node
// `pnpm gen:data -- --rows N --seed S --out FILE [...]`: writes a generated transactions CSV and says how long
// it took. Relative paths are taken from the directory pnpm was started in (INIT_CWD), not the package's.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseCommandLine, USAGE, type GenDataCommand } from './cli-arguments.js';
import { writeTransactionsFile } from './write-transactions-file.js';

async function main(): Promise<void> {
  let command: GenDataCommand;
  try {
    command = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (command.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const path = resolve(process.env.INIT_CWD ?? process.cwd(), command.out);
  const started = performance.now();
  await writeTransactionsFile(path, command.options);
  const seconds = (performance.now() - started) / 1000;
  const { size } = await stat(path);
  const rows = command.options.rows;
  process.stderr.write(
    `wrote ${path}: ${rows} rows, ${(size / 1_048_576).toFixed(1)} MiB in ${seconds.toFixed(1)} s ` +
      `(${Math.round(rows / Math.max(seconds, 1e-3))} rows/s)\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`gen:data failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
