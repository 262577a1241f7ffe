// The alternatives the product is measured against must compute the same metrics on a clean file, or the
// comparison is worthless: each is checked against the reference reading of contract §1–§2.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTransactionsFile } from '@autoconnect/datagen';
import { isReferenceFailure, referenceCompute } from '../../packages/core/test/support/reference.js';
import { compareResults, type ComparedMetrics } from '../src/compare-results.js';
import { coreAggregator } from '../src/methods/core-aggregator.js';
import { duckdbSql } from '../src/methods/duckdb-sql.js';
import { naiveFastCsv } from '../src/methods/naive-fast-csv.js';

let dir = '';
let path = '';
let expected: ComparedMetrics;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-methods-'));
  path = join(dir, 'transactions.csv');
  await writeTransactionsFile(path, { rows: 5_000, seed: 7 });
  const reference = referenceCompute(await readFile(path));
  if (isReferenceFailure(reference)) throw new Error(reference.error);
  expected = { ...reference.results, rows_valid: reference.rowsValid };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('every benchmarked method on a clean generated file', () => {
  it.each([
    ['core alone', coreAggregator],
    ['DuckDB', duckdbSql],
    ['naive fast-csv', naiveFastCsv],
  ])('%s computes the reference metrics', async (_name, method) => {
    const metrics = await method(path);
    expect(metrics.rows_valid).toBe(5_000);
    expect(compareResults(expected, metrics)).toEqual([]);
  });

  it('the check would see a wrong answer', async () => {
    const metrics = await naiveFastCsv(path);
    const [ville] = metrics.villes;
    metrics.repartition[ville] = { vente: metrics.repartition[ville].vente + 1, location: metrics.repartition[ville].location };
    expect(compareResults(expected, metrics)).toHaveLength(1);
  });
});
