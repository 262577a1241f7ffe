#!/usr/bin/env node
// `pnpm gen:data -- --rows N --seed S --out FILE [...]`: writes a generated transactions CSV and says how long
// it took. Relative paths are taken from the directory pnpm was started in (INIT_CWD), not the package's.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CsvDelimiter, DateFormat, FormatEngine, GeneratorOptions, OutputEncoding } from './generator-options.js';
import { writeTransactionsFile } from './write-transactions-file.js';

const USAGE = `usage: gen:data --out FILE [--rows N] [--seed S] [--invalid-ratio R] [--delimiter ',' | ';']
                [--date-format iso|fr] [--crlf] [--bom] [--encoding utf-8|windows-1252] [--engine bulk|fast-csv]
  --rows           data rows, header not counted (default 50000)
  --seed           unsigned 32-bit PRNG seed (default 42): same options and seed, same bytes
  --invalid-ratio  share of rows breaking exactly one rule of the contract, 0..1 (default 0)
  --delimiter      ';' also writes prices with a decimal comma, as Excel's French export does (default ',')`;

class UsageError extends Error {
  override name = 'UsageError';
}

function integer(name: string, value: string): number {
  if (!/^[0-9]+$/.test(value)) throw new UsageError(`--${name} must be a non-negative integer, got '${value}'`);
  return Number(value);
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got '${value}'`);
  }
  return value as T;
}

function parseCommandLine(argv: string[]): { out: string; options: GeneratorOptions } {
  // `pnpm gen:data -- --rows 5` hands the `--` over to the script.
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      out: { type: 'string', short: 'o' },
      rows: { type: 'string', default: '50000' },
      seed: { type: 'string', default: '42' },
      'invalid-ratio': { type: 'string', default: '0' },
      delimiter: { type: 'string', default: ',' },
      'date-format': { type: 'string', default: 'iso' },
      crlf: { type: 'boolean', default: false },
      bom: { type: 'boolean', default: false },
      encoding: { type: 'string', default: 'utf-8' },
      engine: { type: 'string', default: 'bulk' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) throw new UsageError('');
  if (!values.out) throw new UsageError('--out FILE is required');
  const ratio = Number(values['invalid-ratio']);
  if (!/^[0-9.]+$/.test(values['invalid-ratio']) || !(ratio >= 0 && ratio <= 1)) {
    throw new UsageError(`--invalid-ratio must be a number in 0..1, got '${values['invalid-ratio']}'`);
  }
  return {
    out: values.out,
    options: {
      rows: integer('rows', values.rows),
      seed: integer('seed', values.seed),
      invalidRatio: ratio,
      delimiter: oneOf<CsvDelimiter>('delimiter', values.delimiter, [',', ';']),
      dateFormat: oneOf<DateFormat>('date-format', values['date-format'], ['iso', 'fr']),
      crlf: values.crlf,
      bom: values.bom,
      encoding: oneOf<OutputEncoding>('encoding', values.encoding, ['utf-8', 'windows-1252']),
      engine: oneOf<FormatEngine>('engine', values.engine, ['bulk', 'fast-csv']),
    },
  };
}

async function main(): Promise<void> {
  let command: ReturnType<typeof parseCommandLine>;
  try {
    command = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${message ? `${message}\n` : ''}${USAGE}\n`);
    process.exitCode = error instanceof UsageError && message === '' ? 0 : 2;
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
