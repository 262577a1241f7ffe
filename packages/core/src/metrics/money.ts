// Euros from integer cents for JSON. cents / 100 is the double nearest to the exact decimal value, which is
// also the double that parsing its 2-decimal text gives; so it prints with at most 2 decimals, no drift.

/** Euros of an integer number of cents, exact for |cents| ≤ Number.MAX_SAFE_INTEGER. */
export function centsToEuros(cents: number): number {
  return cents / 100;
}
