// Building and merging PartialMetrics. Merging is pure, associative and commutative, and its output has a
// canonical key order (cities and models in code-point order, months ascending), so the same rows give the
// same JSON whichever way they were split into chunks. Partials are treated as immutable: a merge shares the
// city objects that only one side has instead of copying them (the aggregator folds thousands of chunks).
import { SAMPLE_LIMIT, type CityPartial, type ModelCounts, type PartialMetrics, type RejectReason, type RejectSample } from '../types.js';
import { compareCodePoints } from './compare-code-points.js';

/** A record safe for any key, `__proto__` included. */
export function dataRecord<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

export function emptyPartial(): PartialMetrics {
  return {
    rowsValid: 0,
    rowsRejected: 0,
    rejectedByReason: dataRecord<number>(),
    samples: [],
    cities: dataRecord<CityPartial>(),
  };
}

export function mergePartials(a: PartialMetrics, b: PartialMetrics): PartialMetrics {
  const rejectedByReason = dataRecord<number>() as Partial<Record<RejectReason, number>>;
  for (const source of [a.rejectedByReason, b.rejectedByReason]) {
    for (const [reason, count] of Object.entries(source) as [RejectReason, number][]) {
      rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + count;
    }
  }
  const cities = dataRecord<CityPartial>();
  for (const ville of sortedUnion(Object.keys(a.cities), Object.keys(b.cities), compareCodePoints)) {
    const x = own(a.cities, ville);
    const y = own(b.cities, ville);
    // The key comes from one side or the other, so at least one is defined.
    cities[ville] = x === undefined ? y! : y === undefined ? x : mergeCities(x, y);
  }
  return {
    rowsValid: a.rowsValid + b.rowsValid,
    rowsRejected: a.rowsRejected + b.rowsRejected,
    rejectedByReason: sortedReasons(rejectedByReason),
    samples: smallestSamples([...a.samples, ...b.samples]),
    cities,
  };
}

/** The SAMPLE_LIMIT samples with the smallest line numbers, ascending (reason breaks ties, for determinism). */
export function smallestSamples(samples: RejectSample[]): RejectSample[] {
  return samples
    .map((sample) => ({ line: sample.line, reason: sample.reason }))
    .sort((x, y) => x.line - y.line || compareCodePoints(x.reason, y.reason))
    .slice(0, SAMPLE_LIMIT);
}

export function sortedReasons(counts: Partial<Record<RejectReason, number>>): Partial<Record<RejectReason, number>> {
  const sorted = dataRecord<number>() as Partial<Record<RejectReason, number>>;
  for (const reason of (Object.keys(counts) as RejectReason[]).sort()) sorted[reason] = counts[reason];
  return sorted;
}

function mergeCities(x: CityPartial, y: CityPartial): CityPartial {
  const months = dataRecord<number>();
  for (const month of sortedUnion(Object.keys(x.months), Object.keys(y.months), compareCodePoints)) {
    months[month] = (own(x.months, month) ?? 0) + (own(y.months, month) ?? 0);
  }
  const models = dataRecord<ModelCounts>();
  for (const modele of sortedUnion(Object.keys(x.models), Object.keys(y.models), compareCodePoints)) {
    const p = own(x.models, modele);
    const q = own(y.models, modele);
    models[modele] = {
      transactions: (p?.transactions ?? 0) + (q?.transactions ?? 0),
      ventes: (p?.ventes ?? 0) + (q?.ventes ?? 0),
      locations: (p?.locations ?? 0) + (q?.locations ?? 0),
      caCents: (p?.caCents ?? 0) + (q?.caCents ?? 0),
    };
  }
  return { months, vente: x.vente + y.vente, location: x.location + y.location, models };
}

/**
 * The value under `key` if the record itself has it. A partial parsed with plain JSON.parse has prototypes:
 * `models['constructor']` must not find Object's constructor.
 */
function own<V>(record: Record<string, V>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function sortedUnion(a: string[], b: string[], compare: (x: string, y: string) => number): string[] {
  return [...new Set([...a, ...b])].sort(compare);
}
