// Arbitrary Windows-1252 text after a valid header, its encoding chosen by a Utf8Checker over the whole file, as the
// orchestrator chooses it: read as the reference reads it.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { finalise, Utf8Checker, type PartialMetrics } from '../src/index.js';
import { isReferenceFailure, referenceCompute } from './support/reference.js';
import { aggregate } from './support/scan.js';

const token = fc.constantFrom(
  ...[',', ';', '"', '\n', '\r\n', ' ', '\u00a0', ''],
  ...['1', '05', '-', '.', 'é', '€', 'œ', 'Š', '’', '«', 'Nîmes', 'Évreux'],
  ...['vente', 'location', '2023-01-05', '12\u00a0345,5', '18990.00'],
);

describe('arbitrary Windows-1252 text', () => {
  it('is detected as not UTF-8 and read as the reference reads it', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 100 }), (tokens) => {
        const text = `date;ville;type;modele;prix\n${tokens.join('')}`;
        const bytes = iconv.encode(text, 'win1252');
        const checker = new Utf8Checker();
        checker.push(bytes);
        const encoding = checker.end() ? 'utf-8' : 'windows-1252';
        const reference = referenceCompute(bytes, { maxRejectRatio: 1 });
        expect(isReferenceFailure(reference) ? encoding : reference.encoding).toBe(encoding);
        let partial: PartialMetrics;
        try {
          partial = aggregate(bytes, { encoding });
        } catch {
          expect(isReferenceFailure(reference)).toBe(true);
          return;
        }
        if (isReferenceFailure(reference)) throw new Error(`the reference failed (${reference.error}), the core did not`);
        expect(finalise(partial)).toEqual(reference.results);
        expect(partial.samples).toEqual(reference.samples.map(({ line, reason }) => ({ line, reason })));
      }),
      { numRuns: 1000 },
    );
  });
});
