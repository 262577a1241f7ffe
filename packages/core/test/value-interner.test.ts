import { describe, expect, it } from '@jest/globals';
import { ValueInterner } from '../src/metrics/value-interner.js';

const intern = (interner: ValueInterner, text: string): number => {
  const bytes = Buffer.from(text, 'utf8');
  return interner.intern(bytes, 0, bytes.length);
};

describe('ValueInterner', () => {
  it('gives one id per distinct NFC text, the same id again on each sight', () => {
    const interner = new ValueInterner('utf-8');
    const ids = ['Paris', 'Lyon', 'Saint-Étienne', 'Saint-E\u0301tienne', 'Paris', ''].map((v) => intern(interner, v));
    expect(ids).toEqual([0, 1, 2, 2, 0, 3]);
    expect(interner.values).toEqual(['Paris', 'Lyon', 'Saint-Étienne', '']);
  });

  it('stays right (and fast) for many values that agree on the sampled bytes', () => {
    const interner = new ValueInterner('utf-8');
    // Length 12: the sampled positions are 0, 3, 6, 8 and 11; only the others vary.
    const values: string[] = [];
    for (let n = 0; n < 5000; n++) {
      const d = String(n).padStart(4, '0');
      values.push(`M${d[0]}${d[1]}x${d[2]}${d[3]}y_z__`);
    }
    const started = performance.now();
    const ids = values.map((v) => intern(interner, v));
    expect(ids).toEqual(values.map((_, i) => i));
    expect(values.map((v) => intern(interner, v))).toEqual(ids);
    expect(interner.values).toEqual(values);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('decodes Windows-1252 bytes on first sight', () => {
    const interner = new ValueInterner('windows-1252');
    const bytes = Buffer.from([0x4e, 0xee, 0x6d, 0x65, 0x73, 0x20, 0x80]);
    expect(interner.intern(bytes, 0, bytes.length)).toBe(0);
    expect(interner.values).toEqual(['Nîmes €']);
  });
});
