// The gen:data command line as pnpm hands it over, and the mistakes it refuses.
import { describe, expect, it } from '@jest/globals';
import { parseCommandLine } from '../src/cli-arguments.js';
import { UsageError } from '../src/usage-error.js';

describe('parseCommandLine', () => {
  it('reads every option, after the `--` pnpm passes along', () => {
    const command = parseCommandLine([
      '--', '--rows', '1000', '--seed', '7', '--out', 'x.csv', '--invalid-ratio', '0.05', '--messy-ratio', '0.5',
      '--delimiter', ';',
      '--date-format', 'fr', '--crlf', '--encoding', 'windows-1252', '--engine', 'fast-csv',
    ]);
    expect(command).toEqual({
      kind: 'generate',
      out: 'x.csv',
      options: {
        rows: 1000, seed: 7, invalidRatio: 0.05, messyRatio: 0.5, delimiter: ';', dateFormat: 'fr', crlf: true, bom: false,
        encoding: 'windows-1252', engine: 'fast-csv',
      },
    });
  });

  it('defaults to 50,000 clean rows, seed 42, the reference CSV form', () => {
    const command = parseCommandLine(['--out', 'x.csv']);
    expect(command.kind === 'generate' && command.options).toEqual({
      rows: 50_000, seed: 42, invalidRatio: 0, messyRatio: 0, delimiter: ',', dateFormat: 'iso', crlf: false, bom: false,
      encoding: 'utf-8', engine: 'bulk',
    });
  });

  it('answers --help', () => {
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--rows', '10'], /--out/],
    [['--out', 'x', '--rows', '-5'], /--rows/],
    [['--out', 'x', '--rows', '1e6'], /--rows/],
    [['--out', 'x', '--invalid-ratio', '1.5'], /--invalid-ratio/],
    [['--out', 'x', '--messy-ratio', 'lots'], /--messy-ratio/],
    [['--out', 'x', '--delimiter', '|'], /--delimiter/],
    [['--out', 'x', '--encoding', 'latin1'], /--encoding/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
    expect(() => parseCommandLine(argv)).toThrow(message);
  });

  it('refuses unknown options', () => {
    expect(() => parseCommandLine(['--out', 'x', '--colour'])).toThrow(/colour/);
  });
});
