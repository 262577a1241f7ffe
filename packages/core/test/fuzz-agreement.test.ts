// Arbitrary text after a valid header (quotes anywhere, lone CRs, blanks, BOMs, half-valid values): the core
// must read it exactly as the reference does, and the chunked path exactly as the single-process one.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CityChunker, emptyPartial, finalise, mapCityChunk, mergePartials, type PartialMetrics } from '../src/index.js';
import { isReferenceFailure, referenceCompute } from './support/reference.js';
import { aggregate } from './support/scan.js';

const token = fc.constantFrom(
  ...[',', ';', '"', '""', '\n', '\r', '\r\n', ' ', '\u00a0', '\t', '\uFEFF', ''],
  ...['0', '1', '2', '5', '9', '600', '-', '/', '.', 'a', 'x', 'é', 'e\u0301'],
  ...['Paris', 'vente', 'location', 'LOCATION', '2023-01-05', '05/01/2023', '12 345,5'],
);
const header = fc.constantFrom('date,ville,type,modele,prix,duree_location_mois', 'prix;ville;date;type;modele', 'ville,date,type,prix,modele,extra');

describe('arbitrary text', () => {
  it('reads as the reference reads it, in one piece or in chunks', () => {
    fc.assert(
      fc.property(header, fc.array(token, { maxLength: 120 }), fc.array(fc.nat(500), { maxLength: 4 }), fc.integer({ min: 1, max: 4 }), (head, tokens, cuts, chunkRows) => {
        const bytes = Buffer.from(`${head}\n${tokens.join('')}`);
        const reference = referenceCompute(bytes, { maxRejectRatio: 1 });
        let partial: PartialMetrics;
        try {
          partial = aggregate(bytes, { cuts });
        } catch (error) {
          expect(isReferenceFailure(reference)).toBe(true);
          return;
        }
        if (isReferenceFailure(reference)) throw new Error(`the reference failed (${reference.error}), the core did not`);
        expect(finalise(partial)).toEqual(reference.results);
        expect(partial.rejectedByReason).toEqual(reference.rejectedByReason);
        expect(partial.samples).toEqual(reference.samples.map(({ line, reason }) => ({ line, reason })));

        const chunker = new CityChunker({ chunkRows, encoding: 'utf-8' });
        const chunks = [...chunker.push(bytes), ...chunker.end()];
        const context = { layout: chunker.layout!, encoding: 'utf-8' as const };
        const merged = chunks.map((c) => mapCityChunk(c.data, context)).reduce(mergePartials, emptyPartial());
        expect(JSON.stringify(merged)).toBe(JSON.stringify(partial));
      }),
      { numRuns: 1500 },
    );
  });
});
