// The byte scanner against fast-csv (the reference reader) on random RFC 4180 files fed at random buffer cuts.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseString } from 'fast-csv';
import { scanRecords } from './support/scan.js';

interface GeneratedFile {
  text: string;
  delimiter: ',' | ';';
  records: string[][];
  /** Line each record starts on. */
  lines: number[];
}

const unquotedChar = fc.constantFrom('a', 'Z', '7', ' ', 'é', '€', 'œ', '.', '-', '\t');
const quotedChar = fc.constantFrom('a', '7', ' ', 'é', '€', '"', ',', ';', '\n', '\r', '\r\n', '\u00a0');
const field = fc.oneof(
  // fast-csv drops blanks around unquoted fields next to quoted ones; fields are trimmed anyway, so keep
  // unquoted blanks inside the text.
  fc.record({ quoted: fc.constant(false), text: fc.array(unquotedChar, { maxLength: 6 }).map((c) => c.join('')).map((t) => (/^\s|\s$/.test(t) ? `k${t}k` : t)) }),
  fc.record({ quoted: fc.constant(true), text: fc.array(quotedChar, { maxLength: 6 }).map((c) => c.join('')) }),
);
// fast-csv drops records made only of blanks (`ignoreEmpty`), the scanner keeps them: give each record a letter.
const record = fc
  .tuple(fc.array(field, { minLength: 1, maxLength: 5 }), fc.nat(4))
  .map(([fields, at]) => fields.map((f, i) => (i === at % fields.length ? { ...f, text: `${f.text}x` } : f)));

const file = fc
  .record({
    delimiter: fc.constantFrom(',' as const, ';' as const),
    bom: fc.boolean(),
    records: fc.array(
      fc.record({ fields: record, lineEnd: fc.constantFrom('\n', '\r\n'), emptyLinesAfter: fc.constantFrom(0, 0, 0, 1, 2) }),
      { minLength: 1, maxLength: 12 },
    ),
    finalLineEnd: fc.boolean(),
  })
  .map(({ delimiter, bom, records, finalLineEnd }): GeneratedFile => {
    const header = ['h1', 'h2', 'h3'];
    let text = `${bom ? '\uFEFF' : ''}${header.join(delimiter)}\n`;
    let line = 2;
    const lines = [1];
    const expected = [header];
    records.forEach(({ fields, lineEnd, emptyLinesAfter }, i) => {
      lines.push(line);
      expected.push(fields.map((f) => f.text));
      const written = fields.map((f) => (f.quoted || f.text.includes(delimiter) ? `"${f.text.replace(/"/g, '""')}"` : f.text));
      const body = written.join(delimiter);
      const last = i === records.length - 1;
      text += body + (last && !finalLineEnd ? '' : lineEnd + lineEnd.repeat(last ? 0 : emptyLinesAfter));
      line += 1 + (body.match(/\n/g)?.length ?? 0) + (last ? 0 : emptyLinesAfter);
    });
    return { text, delimiter, records: expected, lines };
  });

function readWithFastCsv(text: string, delimiter: string): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const rows: string[][] = [];
    parseString<string[], string[]>(text, { delimiter, ignoreEmpty: true })
      .on('error', reject)
      .on('data', (row: string[]) => rows.push(row))
      .on('end', () => resolve(rows));
  });
}

describe('byte scanner vs fast-csv', () => {
  it('reads the same records, with the right line numbers, at any buffer cuts', async () => {
    await fc.assert(
      fc.asyncProperty(file, fc.array(fc.nat(400), { maxLength: 6 }), async (generated, cuts) => {
        const reference = await readWithFastCsv(generated.text, generated.delimiter);
        const scanned = scanRecords(Buffer.from(generated.text, 'utf8'), cuts);
        expect(scanned.map((r) => r.fields)).toEqual(reference);
        expect(scanned.map((r) => r.fields)).toEqual(generated.records);
        expect(scanned.map((r) => r.line)).toEqual(generated.lines);
        expect(scanned.every((r) => !r.unterminated)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
