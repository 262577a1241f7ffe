// A benchmark of wrong answers is worthless: every method's metrics are checked against the product's.
import type { Results } from '@autoconnect/core';

/** The metrics users read (contract §2); rejected-row accounting is not compared (clean input). */
export type ComparedMetrics = Pick<Results, 'villes' | 'ca_mensuel' | 'repartition' | 'top_modeles' | 'rows_valid'>;

const MAX_DIFFERENCES = 10;

/** The first differences between two readings of the metrics, as `path: expected … got …`; empty when equal. */
export function compareResults(expected: ComparedMetrics, actual: ComparedMetrics): string[] {
  const differences: string[] = [];
  const note = (path: string, want: unknown, got: unknown): void => {
    if (differences.length < MAX_DIFFERENCES) differences.push(`${path}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  };
  if (expected.rows_valid !== actual.rows_valid) note('rows_valid', expected.rows_valid, actual.rows_valid);
  if (expected.villes.join('\n') !== actual.villes.join('\n')) note('villes', expected.villes, actual.villes);
  for (const metric of ['ca_mensuel', 'repartition', 'top_modeles'] as const) {
    const want = expected[metric] as Record<string, unknown>;
    const got = actual[metric] as Record<string, unknown>;
    const cities = new Set([...Object.keys(want), ...Object.keys(got)]);
    for (const city of cities) {
      // Key order is part of the answer for months (ascending) and the ranking (an array); compare as text.
      const a = JSON.stringify(want[city]);
      const b = JSON.stringify(got[city]);
      if (a !== b) note(`${metric}[${city}]`, want[city], got[city]);
    }
  }
  return differences;
}
