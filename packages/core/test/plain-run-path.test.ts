// The splitter's run loop over quote-free lines (CityChunker.takePlainLines), which routes and stores them
// in place: the chunks must come out exactly as through the scanner's path, whatever the lengths of the lines
// and fields, CRs and blanks included, wherever the file's reads are cut.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { chunkerOutcome, chunkerOutcomeByteByByte } from './support/chunker-outcome.js';

/** Field bytes of every length from 0 to 9 and of every kind the loop tells apart: CRs, blanks, non-ASCII. */
const anyField = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('Paris', 'Lyon', 'Nîmes', 'TX000001', '2023-01-14', 'vente', '18990.00', '') },
  { weight: 2, arbitrary: fc.string({ maxLength: 9, unit: fc.constantFrom('a', 'b', '1', ' ', '\u00a0', 'é', '\r', '-') }) },
);

const anyFile = fc
  .record({
    delimiter: fc.constantFrom(',', ';'),
    header: fc.constantFrom(['transaction_id', 'date', 'ville', 'type', 'modele', 'prix'], ['ville', 'date', 'type', 'modele', 'prix'], ['date', 'type', 'modele', 'prix', 'ville']),
    lines: fc.array(fc.array(anyField, { maxLength: 8 }), { minLength: 1, maxLength: 40 }),
    crlf: fc.boolean(),
    lastLineEnd: fc.boolean(),
  })
  .map(({ delimiter, header, lines, crlf, lastLineEnd }) => {
    const lineEnd = crlf ? '\r\n' : '\n';
    // A line of no fields is an empty line; every other count of fields, short or long, goes.
    const body = lines.map((fields) => fields.join(delimiter)).join(lineEnd);
    return Buffer.from(`${header.join(delimiter)}${lineEnd}${body}${lastLineEnd ? lineEnd : ''}`);
  });

const anyOptions = fc.record({
  chunkRows: fc.integer({ min: 1, max: 8 }),
  maxBufferedBytes: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
});

describe('quote-free lines, taken in the run loop', () => {
  it('are chunked exactly as by the scanner path, for any cuts of the reads', () => {
    fc.assert(
      fc.property(anyFile, anyOptions, fc.array(fc.nat(1500), { maxLength: 4 }), (bytes, options, cuts) => {
        const expected = chunkerOutcomeByteByByte(bytes, options);
        expect(chunkerOutcome(bytes, options)).toEqual(expected);
        expect(chunkerOutcome(bytes, options, cuts)).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('are chunked exactly as by the scanner path with the reads cut at every byte', () => {
    const lines = ['TX1,2023-01-14,Paris,vente,Clio,1,', 'TX2,2023-01-14,Lyon', 'TX3,2023-01-14', '', 'TX4,2023-01-14, Nîmes ,vente,Zoé,2,', 'T\rX5,2\r,Pa\rris\r,x', ',,,', 'TX6,2023-01-14,Paris'];
    for (const lineEnd of ['\n', '\r\n']) {
      const bytes = Buffer.from(`transaction_id,date,ville,type,modele,prix,duree_location_mois${lineEnd}${lines.join(lineEnd)}`);
      for (const options of [{ chunkRows: 2 }, { chunkRows: 50, maxBufferedBytes: 100 }]) {
        const expected = chunkerOutcomeByteByByte(bytes, options);
        expect(chunkerOutcome(bytes, options)).toEqual(expected);
        for (let cut = 0; cut <= bytes.length; cut++) expect(chunkerOutcome(bytes, options, [cut])).toEqual(expected);
      }
    }
  });
});
