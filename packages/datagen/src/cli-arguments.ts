// The gen:data command line: arguments in, what to generate and where (or a request for help) out;
// a UsageError for anything else.
import { parseArgs } from 'node:util';
import type { CsvDelimiter, DateFormat, FormatEngine, GeneratorOptions, OutputEncoding } from './generator-options.js';
import { UsageError } from './usage-error.js';

export const USAGE = `usage: gen:data --out FILE [--rows N] [--seed S] [--invalid-ratio R] [--messy-ratio R] [--delimiter ',' | ';']
                [--date-format iso|fr] [--crlf] [--bom] [--encoding utf-8|windows-1252] [--engine bulk|fast-csv]
  --rows           data rows, header not counted (default 50000)
  --seed           unsigned 32-bit PRNG seed (default 42): same options and seed, same bytes
  --invalid-ratio  share of rows breaking exactly one rule of the contract, 0..1 (default 0)
  --messy-ratio    share of valid rows with a field in another accepted form (casing, blanks, NFD accents,
                   grouped thousands, other date format), same transactions as without, 0..1 (default 0)
  --delimiter      ';' also writes prices with a decimal comma, as Excel's French export does (default ',')
  --date-format    iso (YYYY-MM-DD, default) or fr (DD/MM/YYYY)
  --crlf, --bom    CRLF line ends; a UTF-8 byte order mark
  --encoding       utf-8 (default) or windows-1252
  --engine         bulk (default; lines assembled by hand, quoting from fast-csv) or fast-csv (its formatter)`;

function integer(name: string, value: string): number {
  if (!/^[0-9]+$/.test(value)) throw new UsageError(`--${name} must be a non-negative integer, got '${value}'`);
  return Number(value);
}

function ratio(name: string, value: string): number {
  const n = Number(value);
  if (!/^[0-9.]+$/.test(value) || !(n >= 0 && n <= 1)) throw new UsageError(`--${name} must be a number in 0..1, got '${value}'`);
  return n;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got '${value}'`);
  }
  return value as T;
}

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  rows: { type: 'string', default: '50000' },
  seed: { type: 'string', default: '42' },
  'invalid-ratio': { type: 'string', default: '0' },
  'messy-ratio': { type: 'string', default: '0' },
  delimiter: { type: 'string', default: ',' },
  'date-format': { type: 'string', default: 'iso' },
  crlf: { type: 'boolean', default: false },
  bom: { type: 'boolean', default: false },
  encoding: { type: 'string', default: 'utf-8' },
  engine: { type: 'string', default: 'bulk' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function parseOptions(args: string[]) {
  try {
    return parseArgs({ args, strict: true, options: OPTIONS });
  } catch (error) {
    // node:util's messages are clear (unknown option, missing or ambiguous value); only the class changes.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export type GenDataCommand = { kind: 'help' } | { kind: 'generate'; out: string; options: GeneratorOptions };

export function parseCommandLine(argv: string[]): GenDataCommand {
  // `pnpm gen:data -- --rows 5` hands the `--` over to the script.
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  const { values } = parseOptions(args);
  if (values.help) return { kind: 'help' };
  if (!values.out) throw new UsageError('--out FILE is required');
  return {
    kind: 'generate',
    out: values.out,
    options: {
      rows: integer('rows', values.rows),
      seed: integer('seed', values.seed),
      invalidRatio: ratio('invalid-ratio', values['invalid-ratio']),
      messyRatio: ratio('messy-ratio', values['messy-ratio']),
      delimiter: oneOf<CsvDelimiter>('delimiter', values.delimiter, [',', ';']),
      dateFormat: oneOf<DateFormat>('date-format', values['date-format'], ['iso', 'fr']),
      crlf: values.crlf,
      bom: values.bom,
      encoding: oneOf<OutputEncoding>('encoding', values.encoding, ['utf-8', 'windows-1252']),
      engine: oneOf<FormatEngine>('engine', values.engine, ['bulk', 'fast-csv']),
    },
  };
}
