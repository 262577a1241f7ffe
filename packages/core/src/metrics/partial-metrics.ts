// Building and merging PartialMetrics. Merging is pure, associative and commutative, and its output has a
// canonical key order (villes and modeles in code-point order, months ascending), so the same rows give the
// same JSON whichever way they were split into ranges. The reduce itself folds with a MetricsMerger.
import type { VillePartial, PartialMetrics, RejectReason } from '../types.js';
import { dataRecord } from './data-record.js';
import { MetricsMerger } from './metrics-merger.js';

export { dataRecord };

export function emptyPartial(): PartialMetrics {
  return {
    rowsValid: 0,
    rowsRejected: 0,
    rejectedByReason: dataRecord<number>(),
    samples: [],
    villes: dataRecord<VillePartial>(),
  };
}

export function mergePartials(a: PartialMetrics, b: PartialMetrics): PartialMetrics {
  const merger = new MetricsMerger();
  merger.addPartial(a);
  merger.addPartial(b);
  return merger.toPartial();
}

export function sortedReasons(counts: Partial<Record<RejectReason, number>>): Partial<Record<RejectReason, number>> {
  const sorted = dataRecord<number>() as Partial<Record<RejectReason, number>>;
  for (const reason of (Object.keys(counts) as RejectReason[]).sort()) sorted[reason] = counts[reason];
  return sorted;
}
