// Dates straight from bytes: `YYYY-MM-DD` or `DD/MM/YYYY`, two-digit day and month, a real day of the
// proleptic Gregorian calendar, years 0000–9999 (leap years: ÷4, not ÷100 unless ÷400).

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `year * 12 + month - 1` of the date in `buf[start, end)` (already trimmed), or -1 if it is not one. */
export function parseDateMonthIndex(buf: Uint8Array, start: number, end: number): number {
  if (end - start !== 10) return -1;
  let year: number;
  let month: number;
  let day: number;
  if (buf[start + 4] === 0x2d && buf[start + 7] === 0x2d) {
    year = digits(buf, start, 4);
    month = digits(buf, start + 5, 2);
    day = digits(buf, start + 8, 2);
  } else if (buf[start + 2] === 0x2f && buf[start + 5] === 0x2f) {
    day = digits(buf, start, 2);
    month = digits(buf, start + 3, 2);
    year = digits(buf, start + 6, 4);
  } else {
    return -1;
  }
  if (year < 0 || month < 1 || month > 12 || day < 1) return -1;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (day > daysInMonth) return -1;
  return year * 12 + month - 1;
}

/** `YYYY-MM` of a month index. */
export function monthKey(monthIndex: number): string {
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}`;
}

/** The decimal value of `count` (2 or 4) ASCII digits at `at`, or -1 if one is not a digit. Unrolled: hot. */
function digits(buf: Uint8Array, at: number, count: number): number {
  const d0 = buf[at] - 0x30;
  const d1 = buf[at + 1] - 0x30;
  if (d0 < 0 || d0 > 9 || d1 < 0 || d1 > 9) return -1;
  if (count === 2) return d0 * 10 + d1;
  const d2 = buf[at + 2] - 0x30;
  const d3 = buf[at + 3] - 0x30;
  if (d2 < 0 || d2 > 9 || d3 < 0 || d3 > 9) return -1;
  return d0 * 1000 + d1 * 100 + d2 * 10 + d3;
}
