// data/transactions.csv is the generator's output for the options in the README, byte for byte: a change to
// the generator that alters it must come with a regenerated sample.
import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { buffer } from 'node:stream/consumers';
import { isReferenceFailure, referenceCompute } from '../../core/test/support/reference.js';
import { generateTransactions } from '../src/index.js';

const SAMPLE = new URL('../../../data/transactions.csv', import.meta.url);
const SAMPLE_OPTIONS = { rows: 50_000, seed: 42, invalidRatio: 0.001 };

describe('data/transactions.csv', () => {
  it('is the generator output for rows 50000, seed 42, invalid ratio 0.001', async () => {
    const committed = await readFile(SAMPLE);
    const regenerated = await buffer(generateTransactions(SAMPLE_OPTIONS));
    expect(committed.equals(regenerated)).toBe(true);
  });

  it('reads as a successful run with a few rejected rows to report', async () => {
    const result = referenceCompute(await readFile(SAMPLE));
    if (isReferenceFailure(result)) throw new Error(result.error);
    expect(result.rowsValid + result.rowsRejected).toBe(50_000);
    expect(result.rowsRejected).toBeGreaterThan(20);
    expect(result.rowsRejected).toBeLessThan(100);
    expect(result.samples).toHaveLength(20);
    expect(result.results.villes).toHaveLength(22);
  });
});
