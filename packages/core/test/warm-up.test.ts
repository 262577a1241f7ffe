// The start-up exercise counts its made-up file as the single-process aggregator does: it runs the real map
// step over ranges, and every kind of row it is meant to warm up is in it.
import { describe, expect, it } from '@jest/globals';
import { CsvAggregator, warmUp, warmUpBytes } from '../src/index.js';

describe('warmUp', () => {
  it('maps its file range by range into the counts the aggregator finds in it', () => {
    const aggregator = new CsvAggregator();
    aggregator.push(warmUpBytes());
    const expected = aggregator.end();
    const outcome = warmUp();
    expect(outcome.rowsValid).toBe(expected.rowsValid);
    expect(outcome.rowsRejected).toBe(expected.rowsRejected);
    expect(outcome.rowsValid + outcome.rowsRejected).toBeGreaterThanOrEqual(60_000);
    expect(outcome.ranges).toBeGreaterThan(1);
  });

  it('holds quoted models, accents, rentals, sales and bad rows', () => {
    const text = warmUpBytes().toString('utf8');
    expect(text).toContain('"Mini Cooper ""Edition 60"", cabriolet"');
    expect(text).toContain('Citroën C3');
    expect(text).toMatch(/,location,/);
    expect(text).toMatch(/,vente,/);
    const aggregator = new CsvAggregator();
    aggregator.push(warmUpBytes(2_000));
    const partial = aggregator.end();
    expect(Object.keys(partial.rejectedByReason).length).toBeGreaterThanOrEqual(3);
  });
});
