// The percentage form of a ville's split: vente = round(100·v/(v+l), 2) half away from zero, location = 100 −
// vente. Computed in integer hundredths of a percent, so 1/8 gives exactly 12.5 and 1/3 gives 33.33.

/** Both 0 when there are no rows at all (no split to show; never happens for a ville in the results). */
export function percentages(counts: { vente: number; location: number }): { vente: number; location: number } {
  const total = counts.vente + counts.location;
  if (total === 0) return { vente: 0, location: 0 };
  // round(10000·v / t) for v, t ≥ 0 is floor((20000·v + t) / 2t); the operands stay far below 2^53.
  const numerator = 20000 * counts.vente + total;
  const denominator = 2 * total;
  const hundredths = (numerator - (numerator % denominator)) / denominator;
  return { vente: hundredths / 100, location: (10000 - hundredths) / 100 };
}
