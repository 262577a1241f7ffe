// Text that came from a user's file or request, made safe to echo in a message: bounded in length, and every
// character that would not print as itself (controls, line and paragraph separators, bidirectional overrides,
// zero-width and other format characters such as the BOM, lone surrogates) written as an escape — the same
// characters the API escapes in the messages it builds (apps/api/src/errors/printable.ts), so a rejected row's
// sample cannot reorder or hide the text around it (`\u202e`, `\u200b`).

/** The longest a value quoted in a message gets, in characters (an ellipsis marks a cut). */
export const MAX_QUOTED_CHARS = 100;

// Controls, format characters (bidi overrides and isolates, zero-width, the BOM…), line and paragraph separators,
// and surrogates (iterating a string by code points yields a surrogate alone only when it is unpaired).
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

function escapeCharacter(char: string, codePoint: number): string {
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  if (codePoint <= 0xff) return `\\x${codePoint.toString(16).padStart(2, '0')}`;
  return codePoint <= 0xffff ? `\\u${codePoint.toString(16).padStart(4, '0')}` : `\\u{${codePoint.toString(16)}}`;
}

/**
 * `text` with non-printable characters escaped (`\n`, `\x00`, `\u2028`…); past `maxChars` characters it is cut
 * and ends in `…`. A cut never splits an escape or a character.
 */
export function printableText(text: string, maxChars: number = MAX_QUOTED_CHARS): string {
  const tokens: string[] = [];
  let length = 0;
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    const token = NON_PRINTABLE.test(char) ? escapeCharacter(char, codePoint) : char;
    tokens.push(token);
    length += token.length;
    if (length > maxChars) {
      let kept = 0;
      let keptLength = 0;
      while (keptLength + tokens[kept].length <= maxChars) keptLength += tokens[kept++].length;
      return `${tokens.slice(0, kept).join('')}…`;
    }
  }
  return tokens.join('');
}

/** Values listed in a message, each made printable, at most `maxItems` of them (then "and N more"). */
export function printableList(values: readonly string[], maxItems = 20, maxChars = 40): string {
  const shown = values.slice(0, maxItems).map((value) => printableText(value, maxChars));
  const rest = values.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}
