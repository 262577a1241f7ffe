import { describe, expect, it } from '@jest/globals';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { compress, preferredCoding } from '../../src/results/content-coding.js';

describe('preferredCoding', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['identity', null],
    ['deflate', null],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['gzip, deflate, br', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['BR', 'br'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0.8, gzip;q=0.8', 'br'],
    ['br;q=0, gzip;q=0', null],
    ['br;q=0', null],
    ['*', 'br'],
    ['*;q=0', null],
    ['gzip;q=0, *', 'br'],
    ['br;q=0, *', 'gzip'],
    ['br;q=abc, gzip', 'gzip'],
  ] as const)('%p → %p', (header, coding) => {
    expect(preferredCoding(header)).toBe(coding);
  });
});

describe('compress', () => {
  it('round-trips through both codings and shrinks JSON', () => {
    const json = Buffer.from(JSON.stringify(Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`2023-${i}`, i * 1.25]))));
    const br = compress(json, 'br');
    const gz = compress(json, 'gzip');
    expect(brotliDecompressSync(br).equals(json)).toBe(true);
    expect(gunzipSync(gz).equals(json)).toBe(true);
    expect(br.length).toBeLessThan(json.length / 2);
    expect(gz.length).toBeLessThan(json.length / 2);
  });
});
