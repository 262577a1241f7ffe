import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
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

  it('gives by internByWords the ids intern gives, for values of any length and any bytes', () => {
    // Few distinct bytes, and shared starts and ends: values often agree on their end words (their lengths
    // too, or not) and differ in between.
    const anyValue = fc.oneof(
      fc.uint8Array({ maxLength: 20 }).map((bytes) => Buffer.from(bytes.map((b) => [0x41, 0x42, 0x20, 0xc3, 0xa9][b % 5]))),
      fc
        .tuple(fc.constantFrom('Sain', 'Pari', 'AAAA', ''), fc.string({ maxLength: 9, unit: fc.constantFrom('A', 'b') }), fc.constantFrom('enne', 'AAAA', 's', ''))
        .map((parts) => Buffer.from(parts.join(''))),
    );
    fc.assert(
      fc.property(fc.array(anyValue, { maxLength: 400 }), fc.nat(7), (values, offset) => {
        const byWords = new ValueInterner('utf-8');
        const plain = new ValueInterner('utf-8');
        for (const value of values) {
          // At any offset in a larger buffer, as a field of a line is.
          const line = Buffer.concat([Buffer.alloc(offset, 0x2c), value, Buffer.alloc(3, 0x2c)]);
          const view = new DataView(line.buffer, line.byteOffset, line.byteLength);
          expect(byWords.internByWords(line, view, offset, offset + value.length)).toBe(plain.intern(value, 0, value.length));
        }
        expect(byWords.values).toEqual(plain.values);
      }),
      { numRuns: 300 },
    );
  });

  it('tells apart by internByWords values that differ in any one byte', () => {
    const interner = new ValueInterner('utf-8');
    const internByWords = (text: string): number => {
      const bytes = Buffer.from(text);
      return interner.internByWords(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.length);
    };
    for (let length = 1; length <= 20; length++) {
      const same = 'A'.repeat(length);
      const id = internByWords(same);
      for (let at = 0; at < length; at++) {
        // Right after the value that shares its length and (but for `at`) its bytes, so also its cache slot.
        expect(internByWords(same)).toBe(id);
        const other = `${same.slice(0, at)}B${same.slice(at + 1)}`;
        expect(interner.values[internByWords(other)]).toBe(other);
      }
    }
  });

  it('finds by internByWords values added before its pool grew', () => {
    const interner = new ValueInterner('utf-8');
    const values = Array.from({ length: 600 }, (_, i) => `Ville ${i}`.padEnd(4 + (i % 13), '-'));
    const internAll = (): number[] =>
      values.map((v) => {
        const bytes = Buffer.from(v);
        return interner.internByWords(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.length);
      });
    const ids = internAll();
    expect(ids).toEqual(values.map((_, i) => i));
    expect(internAll()).toEqual(ids);
  });
});
