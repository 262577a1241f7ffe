// How a value sent by a client appears in a message the API builds: bounded in length, and with every
// character that would not print as itself (controls, bidirectional overrides, zero-width and other format
// characters, line separators, lone surrogates) escaped, so an answer or a log line never carries them raw.

/** Characters of a shown value, escapes included; a value cut there ends with an ellipsis. */
export const SHOWN_VALUE_LENGTH = 200;

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

function escaped(codePoint: number): string {
  if (codePoint <= 0xff) return `\\x${codePoint.toString(16).padStart(2, '0')}`;
  if (codePoint <= 0xffff) return `\\u${codePoint.toString(16).padStart(4, '0')}`;
  return `\\u{${codePoint.toString(16)}}`;
}

/**
 * `value` as a message may show it: non-printable characters as `\xNN` / `\uNNNN`, and at most `max`
 * characters (an escape is never cut in two), followed by `…` when something was left out. Applying it to
 * its own output changes nothing, so a message may pass through it twice.
 */
export function printable(value: string, max = SHOWN_VALUE_LENGTH): string {
  let out = '';
  for (const char of value) {
    const shown = NOT_PRINTABLE.test(char) ? escaped(char.codePointAt(0) ?? 0) : char;
    if (out.length + shown.length > max) return `${out}…`;
    out += shown;
  }
  return out;
}
