import { describe, expect, it } from '@jest/globals';
import { DEFAULT_ROWS, DEFAULT_WORKERS, parseBenchOptions, QUICK_RESULTS_DIR, QUICK_ROWS, RESULTS_DIR } from '../src/bench-options.js';
import { UsageError } from '../src/usage-error.js';

describe('parseBenchOptions', () => {
  it('defaults to the 1 M and 10 M-row files, 3 rounds, workers 3 then 1 and 2, 10 s of HTTP load', () => {
    const options = parseBenchOptions([]);
    expect(options).toMatchObject({ rows: DEFAULT_ROWS, rounds: 3, workers: DEFAULT_WORKERS, httpSeconds: 10, httpConnections: 100, naive: true });
    expect(options.rows).toEqual([1_000_000, 10_000_000]);
    expect(options.outDir).toBe(RESULTS_DIR);
  });

  it('--quick: a small file, one round, short load, a report that leaves the committed one alone', () => {
    const options = parseBenchOptions(['--', '--quick']);
    expect(options).toMatchObject({ rows: [QUICK_ROWS], rounds: 1, httpSeconds: 2, quick: true, outDir: QUICK_RESULTS_DIR });
  });

  it('reads lists, underscores and negations', () => {
    const options = parseBenchOptions(['--rows', '1_000_000', '--workers', '2,1', '--rounds', '5', '--no-naive', '--seed', '0', '--out', '/tmp/x']);
    expect(options).toMatchObject({ rows: [1_000_000], workers: [2, 1], rounds: 5, naive: false, seed: 0, outDir: '/tmp/x' });
  });

  it.each([
    [['--rows', '0']],
    [['--rows', 'ten']],
    [['--workers', '1,,2']],
    [['--rounds', '1.5']],
    [['--seed', '-1']],
    [['--unknown']],
    [['--help']],
  ])('refuses %j with a UsageError', (argv) => {
    expect(() => parseBenchOptions(argv)).toThrow(UsageError);
  });
});
