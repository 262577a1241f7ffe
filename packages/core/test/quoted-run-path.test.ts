// The splitter's run loop takes a record holding a quote after its ville itself (CityChunker.takeQuotedRecord)
// instead of leaving it to the scanner's quote-aware path: the chunks must come out exactly as through that
// path, wherever the file's reads are cut.
import { describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { CityChunker } from '../src/index.js';
import { chunkerOutcome, chunkerOutcomeByteByByte } from './support/chunker-outcome.js';

/** Counts the records the run loop takes through its quoted path while `run` runs. */
function quotedRecordsTakenBy(run: () => void): number {
  const prototype = CityChunker.prototype as unknown as { takeQuotedRecord: (...args: unknown[]) => number };
  const spy = jest.spyOn(prototype, 'takeQuotedRecord');
  try {
    run();
    return spy.mock.results.filter((result) => result.type === 'return' && (result.value as number) >= 0).length;
  } finally {
    spy.mockRestore();
  }
}

const HEADER = 'transaction_id,date,ville,type,modele,prix,duree_location_mois';

/** Fields of every kind around the ville, quotes anywhere: before, in and after it. */
const values = {
  id: ['TX1', 'TX000049', '"TX,2"', '"T""X"', 'T"X', ''],
  date: ['2023-01-14', '"2023-01-14"', ''],
  ville: ['Paris', 'Lyon', ' Nîmes ', 'Saint-Étienne', '  ', '', '"Paris"', 'Pa"ris', '\u00a0Évreux'],
  type: ['vente', 'location', '"vente"', ''],
  modele: ['Peugeot 208', '"Peugeot 308 SW, GT Line"', '"Mini Cooper ""Edition 60"", cabriolet"', '"Zoé\nE-Tech"', '"a\r\nb"', 'Clio "R"', '"ab"c', '"Clio""', '""', '"', '"x"",y"'],
  prix: ['39144.00', '"1 234,5"', '1"2'],
  duree: ['', '24', '"12"', '"\n"'],
};

/** Mostly the first (plain) value, so that many records reach their ville quote-free. */
const anyValue = (of: readonly string[]): fc.Arbitrary<string> => fc.oneof({ weight: 2, arbitrary: fc.constant(of[0]) }, { weight: 3, arbitrary: fc.constantFrom(...of) });

const anyRecord = fc
  .record({
    id: anyValue(values.id),
    date: anyValue(values.date),
    ville: anyValue(values.ville),
    type: anyValue(values.type),
    modele: fc.constantFrom(...values.modele),
    prix: anyValue(values.prix),
    duree: anyValue(values.duree),
    shape: fc.constantFrom('whole', 'whole', 'whole', 'two fields', 'three fields', 'one more field', 'empty'),
  })
  .map(({ shape, ...f }) => {
    const fields = [f.id, f.date, f.ville, f.type, f.modele, f.prix, f.duree];
    if (shape === 'two fields') return fields.slice(0, 2).join(',');
    if (shape === 'three fields') return fields.slice(0, 3).join(',');
    if (shape === 'one more field') return [...fields, '"extra, field"'].join(',');
    if (shape === 'empty') return '';
    return fields.join(',');
  });

const anyFile = fc
  .record({
    records: fc.array(anyRecord, { minLength: 1, maxLength: 30 }),
    lineEnd: fc.constantFrom('\n', '\r\n'),
    lastLineEnd: fc.boolean(),
    header: fc.constantFrom(HEADER, 'ville,modele,date,type,prix', 'date,type,modele,prix,ville'),
  })
  // The other headers read the same records with the ville column elsewhere (first, last).
  .map(({ records, lineEnd, lastLineEnd, header }) => Buffer.from(`${header}${lineEnd}${records.join(lineEnd)}${lastLineEnd ? lineEnd : ''}`));

const anyOptions = fc.record({
  chunkRows: fc.integer({ min: 1, max: 8 }),
  maxBufferedBytes: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
});

describe('records holding a quote, taken in the run loop', () => {
  it('are chunked exactly as by the scanner path, for any cuts of the reads', () => {
    let taken = 0;
    fc.assert(
      fc.property(anyFile, anyOptions, fc.array(fc.nat(2000), { maxLength: 4 }), (bytes, options, cuts) => {
        const expected = chunkerOutcomeByteByByte(bytes, options);
        taken += quotedRecordsTakenBy(() => {
          expect(chunkerOutcome(bytes, options)).toEqual(expected);
          expect(chunkerOutcome(bytes, options, cuts)).toEqual(expected);
        });
      }),
      { numRuns: 400 },
    );
    // The quoted path was taken, in quantity (about a thousand times, depending on the seed).
    expect(taken).toBeGreaterThan(400);
  });

  it('are chunked exactly as by the scanner path with the reads cut at every byte', () => {
    const records = [
      'TX1,2023-01-14,Paris,vente,"Peugeot 308 SW, GT Line",39144.00,',
      'TX2,2023-01-14,Nice,location,"Mini Cooper ""Edition 60"", cabriolet",675.90,29',
      'TX3,2023-01-14, Lyon ,vente,"Zoé\nE-Tech, ""long""",1,',
      '"TX,4",2023-01-14,Paris,vente,"Clio",1,',
      'TX5,2023-01-14,Pa"ris,vente,Clio,1,',
      'TX6,2023-01-14,  ,vente,"Clio",1,',
      'TX7,2023-01-14,Paris,vente,Clio "R",2,',
      'TX8,2023-01-14,Lyon,vente,"a\r\nb"x,3,"\n"',
      'TX9,2023-01-14,Paris,vente,Clio,4,',
      'TX10,2023-01-14,Paris',
      'TX11,2023-01-14,Lyon,vente,"open',
    ];
    for (const lineEnd of ['\n', '\r\n']) {
      const bytes = Buffer.from(`${HEADER}${lineEnd}${records.join(lineEnd)}`);
      for (const options of [{ chunkRows: 2 }, { chunkRows: 50, maxBufferedBytes: 150 }]) {
        const expected = chunkerOutcomeByteByByte(bytes, options);
        expect(chunkerOutcome(bytes, options)).toEqual(expected);
        for (let cut = 0; cut <= bytes.length; cut++) expect(chunkerOutcome(bytes, options, [cut])).toEqual(expected);
      }
    }
  });

  it('keep the line numbers of the records after them, quoted line breaks counted', () => {
    const bytes = Buffer.from(`${HEADER}\nTX1,2023-01-14,Paris,vente,"a\nb\nc",1,\n\nTX2,2023-01-14,Paris,vente,"d\r\ne",2,\r\nTX3,2023-01-14,Paris,vente,Clio,3,\n`);
    const chunker = new CityChunker({ chunkRows: 10, encoding: 'utf-8' });
    const [paris] = [...chunker.push(bytes), ...chunker.end()];
    // Line deltas (zigzag, one byte each here): lines 2 (to 4), 6 (after an empty line; to 7) and 8.
    const deltas: number[] = [];
    let at = 8 + 1 + 'Paris'.length;
    for (let row = 0; row < paris.rows; row++) {
      deltas.push(paris.data[at] / 2);
      at += 2 + paris.data[at + 1];
    }
    expect(deltas).toEqual([2, 4, 2]);
    expect(paris.data.subarray(8 + 1 + 5 + 2, 8 + 1 + 5 + 2 + 40).toString()).toContain('"a\nb\nc"');
  });
});
