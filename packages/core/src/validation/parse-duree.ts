// duree_location_mois straight from bytes. Empty is allowed (ventes have none); otherwise ASCII digits only
// (leading zeros allowed: `024` is 24; no sign, no decimals, no exponent) with a value of 1 to 600.

const MAX_MONTHS = 600;

/** Whether `buf[start, end)` (already trimmed) is an acceptable duree_location_mois. */
export function isValidDuree(buf: Uint8Array, start: number, end: number): boolean {
  if (start === end) return true;
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) return false;
    value = value * 10 + d;
    if (value > MAX_MONTHS) return false;
  }
  return value >= 1;
}
