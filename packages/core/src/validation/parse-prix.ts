// prix straight from bytes to integer cents: exact, no floating-point parsing.
//
// Accepted: digits, optionally grouped by thousands with one space, U+00A0 or U+202F between groups,
// then optionally `.` or `,` and one or two decimals. Decisions on the edge cases:
//
// | input            | verdict  | why                                                             |
// |------------------|----------|-----------------------------------------------------------------|
// | `18990.00`       | 1899000  | the reference form                                              |
// | `349,9`          | 34990    | decimal comma, one decimal                                      |
// | `12 345,67`      | 1234567  | grouped thousands (space, U+00A0 or U+202F)                     |
// | `0`, `0.00`      | 0        | ≥ 0 includes 0                                                  |
// | `007.50`         | 750      | leading zeros do not change the value                           |
// | `1.234`          | rejected | three decimals                                                  |
// | `12,3,4`         | rejected | two decimal marks                                               |
// | `1,234.56`       | rejected | `,` is never a thousands separator (it is a decimal mark)       |
// | `1234 567`, `1 23` | rejected | groups after the first must have exactly three digits        |
// | `12  345`        | rejected | one separator between groups                                    |
// | `+5`, `-5`       | rejected | no sign: a price is written without one                         |
// | `1e3`            | rejected | no exponent                                                     |
// | `.5`, `5.`       | rejected | a decimal mark needs digits on both sides                       |
// | `€ 5`, `5 €`     | rejected | no currency sign                                                |
// | ≥ 10 000 000 000 000 | rejected | above 10^13 € cents stop being exact doubles once summed   |
import type { SourceEncoding } from '../types.js';

const MAX_EUROS_EXCLUSIVE = 1e13;

/** Integer cents of the prix in `buf[start, end)` (already trimmed), or -1 if it is not a valid prix. */
export function parsePrixCents(buf: Uint8Array, start: number, end: number, encoding: SourceEncoding): number {
  let i = start;
  let euros = 0;
  let integerDigits = 0;
  let groupDigits = 0;
  let grouped = false;
  while (i < end) {
    const d = buf[i] - 0x30;
    if (d >= 0 && d <= 9) {
      euros = euros * 10 + d;
      integerDigits++;
      groupDigits++;
      i++;
      continue;
    }
    const separator = groupSeparatorLength(buf, i, end, encoding);
    if (separator === 0) break;
    if (grouped ? groupDigits !== 3 : groupDigits === 0 || groupDigits > 3) return -1;
    grouped = true;
    groupDigits = 0;
    i += separator;
  }
  if (integerDigits === 0 || (grouped && groupDigits !== 3) || euros >= MAX_EUROS_EXCLUSIVE) return -1;
  let cents = 0;
  if (i < end) {
    const mark = buf[i];
    if (mark !== 0x2e && mark !== 0x2c) return -1;
    const decimals = end - i - 1;
    if (decimals < 1 || decimals > 2) return -1;
    const d1 = buf[i + 1] - 0x30;
    if (d1 < 0 || d1 > 9) return -1;
    cents = d1 * 10;
    if (decimals === 2) {
      const d2 = buf[i + 2] - 0x30;
      if (d2 < 0 || d2 > 9) return -1;
      cents += d2;
    }
  }
  return euros * 100 + cents;
}

/** Bytes of a thousands separator at `i` (space, U+00A0 or U+202F in the file's encoding), 0 if none. */
function groupSeparatorLength(buf: Uint8Array, i: number, end: number, encoding: SourceEncoding): number {
  const b = buf[i];
  if (b === 0x20) return 1;
  if (encoding === 'windows-1252') return b === 0xa0 ? 1 : 0;
  if (b === 0xc2) return i + 1 < end && buf[i + 1] === 0xa0 ? 2 : 0;
  if (b === 0xe2) return i + 2 < end && buf[i + 1] === 0x80 && buf[i + 2] === 0xaf ? 3 : 0;
  return 0;
}
