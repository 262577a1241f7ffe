// Arbitrary text after a valid header (quotes anywhere, lone CRs, blanks, BOMs, half-valid values): the core
// must read it exactly as the reference does, and the range-by-range path exactly as the single-process one.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { finalise, type PartialMetrics } from '../src/index.js';
import { isReferenceFailure, referenceCompute } from './support/reference.js';
import { runInRanges } from './support/ranges.js';
import { aggregate } from './support/scan.js';

const token = fc.constantFrom(
  ...[',', ';', '"', '""', '\n', '\r', '\r\n', ' ', '\u00a0', '\t', '\uFEFF', ''],
  ...['0', '1', '2', '5', '9', '600', '-', '/', '.', 'a', 'x', 'é', 'e\u0301'],
  ...['Paris', 'vente', 'location', 'LOCATION', '2023-01-05', '05/01/2023', '12 345,5'],
);
const header = fc.constantFrom('date,ville,type,modele,prix,duree_location_mois', 'prix;ville;date;type;modele', 'ville,date,type,prix,modele,extra');

describe('arbitrary text', () => {
  it('reads as the reference reads it, in one piece or in byte ranges', () => {
    fc.assert(
      fc.property(header, fc.array(token, { maxLength: 120 }), fc.array(fc.nat(500), { maxLength: 4 }), fc.integer({ min: 1, max: 64 }), (head, tokens, cuts, rangeBytes) => {
        const bytes = Buffer.from(`${head}\n${tokens.join('')}`);
        const reference = referenceCompute(bytes, { maxRejectRatio: 1 });
        let partial: PartialMetrics;
        try {
          partial = aggregate(bytes, { cuts });
        } catch {
          expect(isReferenceFailure(reference)).toBe(true);
          return;
        }
        if (isReferenceFailure(reference)) throw new Error(`the reference failed (${reference.error}), the core did not`);
        expect(finalise(partial)).toEqual(reference.results);
        expect(partial.rejectedByReason).toEqual(reference.rejectedByReason);
        expect(partial.samples).toEqual(reference.samples.map(({ line, reason }) => ({ line, reason })));

        const run = runInRanges(bytes, { rangeBytes, pieceBytes: 1 + (cuts[0] ?? 7) });
        if ('error' in run) throw new Error(`the range path failed (${run.error}), the single-process one did not`);
        expect(JSON.stringify(run.partial)).toBe(JSON.stringify(partial));
      }),
      { numRuns: 1500 },
    );
  });
});
