import { describe, expect, it } from '@jest/globals';
import { printable, SHOWN_VALUE_LENGTH } from '../../src/errors/printable.js';

describe('printable', () => {
  it('leaves printable text, accents and emoji as they are', () => {
    expect(printable('Saint-Étienne 🚗 «Nîmes» "x" \\ y')).toBe('Saint-Étienne 🚗 «Nîmes» "x" \\ y');
  });

  it('escapes controls, C1, format characters, separators and lone surrogates', () => {
    expect(printable('a\u0000b\tc\nd\u001b\u007f\u0085\u00ad')).toBe('a\\x00b\\x09c\\x0ad\\x1b\\x7f\\x85\\xad');
    expect(printable('\u202eevil\u200b\u2028\u2029\ufeff')).toBe('\\u202eevil\\u200b\\u2028\\u2029\\ufeff');
    expect(printable('x\ud800y\udc00')).toBe('x\\ud800y\\udc00');
    expect(printable('\u{e0001}')).toBe('\\u{e0001}');
  });

  it(`cuts at ${SHOWN_VALUE_LENGTH} characters with an ellipsis, never inside an escape or a surrogate pair`, () => {
    expect(printable('x'.repeat(SHOWN_VALUE_LENGTH))).toBe('x'.repeat(SHOWN_VALUE_LENGTH));
    expect(printable('x'.repeat(10_000))).toBe(`${'x'.repeat(SHOWN_VALUE_LENGTH)}…`);
    expect(printable(`${'x'.repeat(SHOWN_VALUE_LENGTH - 2)}\u0000`)).toBe(`${'x'.repeat(SHOWN_VALUE_LENGTH - 2)}…`);
    const emoji = printable(`${'x'.repeat(SHOWN_VALUE_LENGTH - 1)}🚗`);
    expect(emoji).toBe(`${'x'.repeat(SHOWN_VALUE_LENGTH - 1)}…`);
    expect(printable('abcdef', 3)).toBe('abc…');
  });

  it('changes nothing when applied to its own output', () => {
    for (const value of [`\u0000\u202e${'y'.repeat(500)}`, 'plain', 'é\u0085']) {
      const once = printable(value);
      expect(printable(once, 1_000)).toBe(once);
    }
  });
});
