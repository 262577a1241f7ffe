// Results do not depend on how a file is cut into ranges, on the order ranges are mapped in, on a range mapped
// twice, on how its bytes are pushed, or on merge order; and they are the reference's.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { CsvAggregator, emptyPartial, finalise, mergePartials, MetricsMerger, parseVille, RangeMapper, readFileHeader, serialiseVille, type PartialMetrics } from '../src/index.js';
import { isReferenceFailure, referenceCompute } from './support/reference.js';
import { runInRanges, type RangeRun } from './support/ranges.js';
import { aggregate, HEADER } from './support/scan.js';
import { transactionsFile } from './support/transactions.js';

function ok(run: RangeRun): Extract<RangeRun, { partial: PartialMetrics }> {
  if ('error' in run) throw new Error(`the run failed: ${run.error}`);
  return run;
}

describe('merge', () => {
  it('is associative and commutative, with a canonical key order', () => {
    fc.assert(
      fc.property(transactionsFile, transactionsFile, transactionsFile, (a, b, c) => {
        const [pa, pb, pc] = [a, b, c].map((f) => aggregate(f.text));
        const left = mergePartials(mergePartials(pa, pb), pc);
        const right = mergePartials(pa, mergePartials(pb, pc));
        expect(JSON.stringify(left)).toBe(JSON.stringify(right));
        expect(JSON.stringify(mergePartials(pa, pb))).toBe(JSON.stringify(mergePartials(pb, pa)));
        expect(JSON.stringify(mergePartials(pa, emptyPartial()))).toBe(JSON.stringify(pa));
      }),
      { numRuns: 60 },
    );
  });

  it('reads partials parsed by plain JSON.parse (with prototypes) alike', () => {
    const a = aggregate('date,ville,type,modele,prix\n2023-01-01,constructor,vente,toString,1\n2023-01-01,Paris,vente,__proto__,2\n');
    const b = aggregate('date,ville,type,modele,prix\n2023-01-01,Paris,vente,constructor,3\n2023-01-01,hasOwnProperty,vente,valueOf,4\n');
    const plain = (p: PartialMetrics): PartialMetrics => JSON.parse(JSON.stringify(p)) as PartialMetrics;
    const expected = JSON.stringify(mergePartials(a, b));
    expect(JSON.stringify(mergePartials(plain(a), plain(b)))).toBe(expected);
    expect(JSON.stringify(mergePartials(plain(b), plain(a)))).toBe(expected);
    expect(finalise(mergePartials(plain(a), plain(b))).top_modeles.Paris.map((m) => m.modele)).toEqual(['__proto__', 'constructor']);
  });

  it('does not modify its inputs', () => {
    const a = aggregate('date,ville,type,modele,prix\n2023-01-01,Paris,vente,A,1\n');
    const b = aggregate('date,ville,type,modele,prix\n2023-01-01,Paris,vente,A,2\nbad\n');
    const before = JSON.stringify([a, b]);
    mergePartials(a, b);
    expect(JSON.stringify([a, b])).toBe(before);
  });
});

describe('a file read in byte ranges', () => {
  it('gives exactly the single-process partial and the reference results for any range size, order, push size and repeat', () => {
    fc.assert(
      fc.property(
        transactionsFile,
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.nat(1000), { maxLength: 12 }),
        fc.boolean(),
        (file, rangeBytes, pieceBytes, order, twice) => {
          const bytes = Buffer.from(file.text);
          const run = ok(runInRanges(bytes, { rangeBytes, pieceBytes, order, twice }));
          const whole = aggregate(bytes);
          expect(JSON.stringify(run.partial)).toBe(JSON.stringify(whole));
          const reference = referenceCompute(bytes, { maxRejectRatio: 1 });
          if (isReferenceFailure(reference)) throw new Error(reference.error);
          expect(run.results).toEqual(reference.results);
          expect(run.partial.rejectedByReason).toEqual(reference.rejectedByReason);
          expect(run.partial.samples).toEqual(reference.samples.map(({ line, reason }) => ({ line, reason })));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads a Windows-1252 file (any cut) as the single-process reader does', () => {
    fc.assert(
      fc.property(transactionsFile, fc.integer({ min: 1, max: 300 }), fc.array(fc.nat(100), { maxLength: 6 }), (file, rangeBytes, order) => {
        const bytes = iconv.encode(file.text.replace(/\uFEFF/g, ''), 'win1252');
        const run = ok(runInRanges(bytes, { rangeBytes, order }));
        const reference = referenceCompute(bytes, { maxRejectRatio: 1 });
        if (isReferenceFailure(reference)) throw new Error(reference.error);
        expect(run.encoding).toBe(reference.encoding);
        expect(run.results).toEqual(reference.results);
        expect(run.partial.samples).toEqual(reference.samples.map(({ line, reason }) => ({ line, reason })));
      }),
      { numRuns: 150 },
    );
  });
});

/** Every range size from 1 byte to the whole data: a range then starts on every byte of the file once. */
function everyRangeSize(bytes: Buffer): RangeRun[] {
  return Array.from({ length: bytes.length }, (_, i) => runInRanges(bytes, { rangeBytes: i + 1 }));
}

describe('ranges that start anywhere', () => {
  const rows = [
    'TX1,2023-01-14,Paris,vente,"Peugeot\n208\nGT",18990.00,',
    'TX2,2023-01-15,Lyon,location,"Clio, ""RS""",349.90,24',
    'TX3,2023-01-16,Nîmes,vente,Citroën C3,12000,',
  ];

  it('inside a multi-line quoted field: the guess is corrected and the results are exact', () => {
    const bytes = Buffer.from(`${HEADER}\n${rows.join('\n')}\n`);
    const expected = JSON.stringify(aggregate(bytes));
    const runs = everyRangeSize(bytes).map(ok);
    for (const run of runs) expect(JSON.stringify(run.partial)).toBe(expected);
    // Some cut fell inside the quoted line breaks and was mapped again.
    expect(runs.some((run) => run.remaps > 0)).toBe(true);
  });

  it('between the CR and the LF of a CRLF line end, and inside a multi-byte character', () => {
    const bytes = Buffer.from(`\uFEFF${HEADER}\r\n${rows.join('\r\n')}\r\n\r\nTX4,2023-02-01,Saint-Étienne,vente,Škoda Octavia,1,\r\n`);
    const expected = JSON.stringify(aggregate(bytes));
    for (const run of everyRangeSize(bytes)) expect(JSON.stringify(ok(run).partial)).toBe(expected);
  });

  it('in a Windows-1252 file whose only non-ASCII bytes sit in one range', () => {
    const plain = Array.from({ length: 40 }, (_, i) => `TX${i},2023-03-0${1 + (i % 9)},Lyon,vente,Clio,${i}.5,`);
    const text = `${HEADER}\n${plain.slice(0, 20).join('\n')}\nTX99,2023-03-01,Nîmes,vente,Citroën “C3”,12,\n${plain.slice(20).join('\n')}\n`;
    const bytes = iconv.encode(text, 'win1252');
    const reference = referenceCompute(bytes);
    if (isReferenceFailure(reference)) throw new Error(reference.error);
    expect(reference.encoding).toBe('windows-1252');
    for (const rangeBytes of [64, 100, 333, 1000, bytes.length]) {
      const run = ok(runInRanges(bytes, { rangeBytes }));
      expect(run.encoding).toBe('windows-1252');
      expect(run.results).toEqual(reference.results);
    }
    // A UTF-8 file with the same rows reads as UTF-8, whatever the cut.
    const utf8 = Buffer.from(text);
    for (const rangeBytes of [64, 100, 333]) expect(ok(runInRanges(utf8, { rangeBytes })).encoding).toBe('utf-8');
  });

  it('where one range is UTF-8 and a later one is not: the UTF-8 range is read again as Windows-1252', () => {
    const first = Buffer.from(`${HEADER}\nTX1,2023-01-01,Nîmes,vente,Clio,1,\n`);
    const filler = Buffer.from(Array.from({ length: 30 }, (_, i) => `TX${i},2023-01-02,Lyon,vente,Clio,2,\n`).join(''));
    const last = Buffer.from('TX9,2023-01-03,Caf\xe9,vente,Clio,3,\n', 'latin1');
    const bytes = Buffer.concat([first, filler, last]);
    const reference = referenceCompute(bytes);
    if (isReferenceFailure(reference)) throw new Error(reference.error);
    const run = ok(runInRanges(bytes, { rangeBytes: 100 }));
    expect(run.encoding).toBe('windows-1252');
    expect(run.results).toEqual(reference.results);
    expect(run.results.villes).toContain('NÃ®mes');
  });
});

describe('a stray quote', () => {
  const good = (i: number) => `TX${i},2023-01-01,Paris,vente,Clio,1,`;

  it('left open counts every line it runs over as a rejected row, so the reject ratio sees them', () => {
    const lines = [...Array.from({ length: 10 }, (_, i) => good(i)), 'TX10,2023-01-01,Paris,vente,"Clio,1,', ...Array.from({ length: 30 }, (_, i) => good(11 + i))];
    const bytes = Buffer.from(`${HEADER}\n${lines.join('\n')}\n`);
    const whole = aggregate(bytes);
    expect(whole.rowsValid).toBe(10);
    expect(whole.rowsRejected).toBe(31);
    expect(whole.rejectedByReason).toEqual({ unterminated_quote: 31 });
    expect(whole.samples).toEqual([{ line: 12, reason: 'quoted field left open at the end of the file: its 31 lines are rejected' }]);
    for (const rangeBytes of [7, 50, 200, bytes.length]) expect(JSON.stringify(ok(runInRanges(bytes, { rangeBytes })).partial)).toBe(JSON.stringify(whole));
    expect(runInRanges(bytes, { rangeBytes: 64, maxRejectRatio: 0.5 })).toMatchObject({ name: 'TooManyRejectsError' });
  });

  it('closed past the record cap rejects the lines it spans with a reason of its own, then reading goes on', () => {
    const swallowed = Array.from({ length: 20 }, (_, i) => good(100 + i));
    const lines = [good(1), `TX2,2023-01-01,Paris,vente,"open`, ...swallowed, `closed",5,`, good(3), good(4)];
    const bytes = Buffer.from(`${HEADER}\n${lines.join('\n')}\n`);
    const whole = aggregate(bytes, { maxRecordBytes: 200 });
    expect(whole.rowsValid).toBe(3);
    expect(whole.rejectedByReason).toEqual({ record_too_long: 22 });
    expect(whole.samples).toEqual([{ line: 3, reason: 'record longer than 200 bytes: its 22 line(s) are rejected' }]);
    const reference = referenceCompute(bytes, { maxRecordBytes: 200, maxRejectRatio: 1 });
    if (isReferenceFailure(reference)) throw new Error(reference.error);
    expect(reference.rejectedByReason).toEqual(whole.rejectedByReason);
    for (const rangeBytes of [10, 64, 150, 1000]) {
      for (const pieceBytes of [1, 7, 4096]) {
        expect(JSON.stringify(ok(runInRanges(bytes, { rangeBytes, pieceBytes, maxRecordBytes: 200 })).partial)).toBe(JSON.stringify(whole));
      }
    }
  });
});

describe('text after a closing quote', () => {
  const good = (i: number) => `TX${i},2023-01-01,Paris,vente,"Clio",1,`;

  it('rejects every line of a record a stray quote ran into, closed by the next quote, whatever the cut', () => {
    // Line 7 opens a quote; the quote before Clio on line 8 closes it, and `Clio"` follows the closing quote.
    // Leniently read, the two lines would make one valid row and one row would vanish without a trace.
    const lines = [...Array.from({ length: 5 }, (_, i) => good(i)), 'TX5,2023-01-01,Paris,vente,"Clio,1,', ...Array.from({ length: 5 }, (_, i) => good(6 + i))];
    const bytes = Buffer.from(`${HEADER}\n${lines.join('\n')}\n`);
    const whole = aggregate(bytes);
    expect(whole.rowsValid).toBe(9);
    expect(whole.rowsRejected).toBe(2);
    expect(whole.rejectedByReason).toEqual({ text_after_quote: 2 });
    expect(whole.samples).toEqual([{ line: 7, reason: 'text after the closing quote of a field: its 2 lines are rejected' }]);
    const reference = referenceCompute(bytes, { maxRejectRatio: 1 });
    if (isReferenceFailure(reference)) throw new Error(reference.error);
    expect(reference.rowsValid).toBe(9);
    expect(reference.rejectedByReason).toEqual(whole.rejectedByReason);
    for (const rangeBytes of [7, 50, 200, bytes.length]) {
      for (const pieceBytes of [1, 7, 4096]) expect(JSON.stringify(ok(runInRanges(bytes, { rangeBytes, pieceBytes })).partial)).toBe(JSON.stringify(whole));
    }
  });

  it('rejects a one-line record with text after a closing quote; blanks there are only trimmed', () => {
    const lines = [good(1), 'TX2,2023-01-01,Paris,vente,"Clio"x,1,', 'TX3,2023-01-01,Paris,vente,"Clio" \t,1,', 'TX4,2023-01-01,Paris,vente,"Clio",1,"1"2', good(5)];
    const bytes = Buffer.from(`${HEADER}\r\n${lines.join('\r\n')}\r\n`);
    const whole = aggregate(bytes);
    expect(whole.rowsValid).toBe(3);
    expect(whole.rejectedByReason).toEqual({ text_after_quote: 2 });
    expect(whole.samples.map((sample) => sample.line)).toEqual([3, 5]);
    const reference = referenceCompute(bytes, { maxRejectRatio: 1 });
    if (isReferenceFailure(reference)) throw new Error(reference.error);
    expect(reference.results).toEqual(finalise(whole));
    expect(reference.rejectedByReason).toEqual(whole.rejectedByReason);
  });
});

describe('the header read alone', () => {
  it('gives the layout the single-process reader finds, and where its data starts, from any prefix long enough', () => {
    fc.assert(
      fc.property(transactionsFile, fc.nat(), (file, cut) => {
        const bytes = Buffer.from(file.text);
        const header = readFileHeader(bytes, true)!;
        const aggregator = new CsvAggregator();
        aggregator.push(bytes);
        aggregator.end();
        expect(header.layouts['utf-8']).toEqual({ layout: aggregator.layout });
        // The data starts right after the header's line end.
        expect(bytes[header.dataStart - 1]).toBe(0x0a);
        expect(header.linesBefore).toBe(1);
        const prefix = bytes.subarray(0, cut % (bytes.length + 1));
        const early = readFileHeader(prefix, false);
        if (early !== null) expect(early).toEqual(header);
      }),
      { numRuns: 200 },
    );
  });
});

describe('MetricsMerger.finalise', () => {
  it('gives what finalise gives of its merged partial, straight from its arrays, as objects or as JSON text', () => {
    fc.assert(
      fc.property(transactionsFile, transactionsFile, (a, b) => {
        const merger = new MetricsMerger();
        merger.addPartial(aggregate(a.text));
        merger.addPartial(aggregate(b.text), 1000);
        expect(JSON.stringify(merger.finalise())).toBe(JSON.stringify(finalise(merger.toPartial())));
        expect(JSON.parse([...merger.finaliseJsonPieces()].join(''))).toEqual(merger.finalise());
        const partial = merger.toPartial();
        expect(merger.rejected()).toEqual({ byReason: partial.rejectedByReason, samples: partial.samples });
      }),
      { numRuns: 100 },
    );
  });
});

describe('a range outcome', () => {
  it('gives each city in its stored form straight from its counts, as serialiseVille writes its partial', () => {
    fc.assert(
      fc.property(transactionsFile, fc.integer({ min: 64, max: 2000 }), (file, rangeBytes) => {
        const bytes = Buffer.from(file.text);
        const header = readFileHeader(bytes, true)!;
        const layout = header.layouts['utf-8'];
        if (!('layout' in layout)) return;
        const end = Math.min(bytes.length, header.dataStart + rangeBytes);
        const mapper = new RangeMapper({ layout: layout.layout, encoding: 'utf-8', start: header.dataStart, end, startsAtRecord: true });
        mapper.push(bytes.subarray(header.dataStart));
        mapper.end();
        const outcome = mapper.outcome();
        const stored = new Map(outcome.storedVilles());
        expect([...stored.keys()].sort()).toEqual(Object.keys(outcome.partial.villes).sort());
        for (const [ville, json] of stored) expect(json).toBe(serialiseVille(outcome.partial.villes[ville]));
        expect(outcome.villes).toBe(stored.size);
        expect({ rowsValid: outcome.rowsValid, rowsRejected: outcome.rowsRejected, samples: outcome.samples }).toEqual({
          rowsValid: outcome.partial.rowsValid,
          rowsRejected: outcome.partial.rowsRejected,
          samples: outcome.partial.samples,
        });
        // And the merger reads the stored form as it reads the objects.
        const fromObjects = new MetricsMerger();
        const fromStored = new MetricsMerger();
        for (const [ville, json] of stored) {
          fromObjects.addVille(ville, outcome.partial.villes[ville]);
          fromStored.addStoredVille(ville, json);
        }
        expect(JSON.stringify(fromStored.toPartial())).toBe(JSON.stringify(fromObjects.toPartial()));
        for (const [ville, json] of stored) expect(parseVille(json)).toEqual(outcome.partial.villes[ville]);
      }),
      { numRuns: 150 },
    );
  });
});
