import { describe, expect, it } from '@jest/globals';
import { asciiJson } from '../src/results/ascii-json.js';

describe('asciiJson', () => {
  it('escapes every character past U+007F and parses back to the same value', () => {
    const value = {
      'Saint-Étienne': { '2023-01': 1234.5 },
      Nîmes: ['Citroën C3', 'Renault Mégane E-Tech', 'DS 7 "E-Tense"', '€', 'ß', '\u00a0', '😀', 'a\u0301', '\ud800'],
      plain: 'Paris, 12 345',
    };
    const text = asciiJson(value);
    expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).toContain('"Saint-\\u00c9tienne"');
    expect(text).toContain('"\\u20ac"');
    expect(text).toContain('"\\ud83d\\ude00"');
    // Composed and decomposed forms stay as they were (the escapes carry code points, not a normalisation).
    expect(JSON.parse(text)['Saint-Étienne']).toBeDefined();
    expect((JSON.parse(text) as { Nîmes: string[] }).Nîmes[7]).toBe('a\u0301');
  });

  it('leaves ASCII-only JSON as JSON.stringify writes it', () => {
    const value = { Paris: { '2023-01': 123456.78 }, quote: 'say "hi"\n', list: [1, 2.5, null, true] };
    expect(asciiJson(value)).toBe(JSON.stringify(value));
  });
});
