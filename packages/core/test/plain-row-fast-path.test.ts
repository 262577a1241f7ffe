// The map step's fast path (PlainRowParser) against the general one (split + RowValidator): same
// PartialMetrics for any records, and a row it does not take goes to the validator unchanged.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { readHeaderLayout } from '../src/csv/header-layout.js';
import { ValueInterner } from '../src/metrics/value-interner.js';
import { RowTally } from '../src/metrics/row-tally.js';
import { CsvAggregator, EmptyFileError, NoDataRowsError, RecordScanner, ScannedRecord } from '../src/index.js';
import { COLUMNS, type Column, type Delimiter, type HeaderLayout, type PartialMetrics, type SourceEncoding } from '../src/types.js';
import { PlainRowParser } from '../src/validation/plain-row-parser.js';
import { pieces } from './support/scan.js';

const REFERENCE_LAYOUT = layoutOf(['transaction_id', 'date', 'ville', 'type', 'modele', 'prix', 'duree_location_mois'], ',');

function layoutOf(names: readonly string[], delimiter: Delimiter): HeaderLayout {
  const columns = {} as Record<Column, number>;
  for (const column of COLUMNS) columns[column] = names.indexOf(column);
  return { delimiter, fieldCount: names.length, columns, headerLine: 1 };
}

interface Context {
  layout: HeaderLayout;
  encoding: SourceEncoding;
}

type RawRecord = { line: number; bytes: Buffer };

/** The records as the map step counts them: each through RowTally.countBytes (the fast path, then the general one). */
function byFastPath(records: readonly RawRecord[], context: Context): PartialMetrics {
  const tally = new RowTally(context.layout, context.encoding);
  for (const { line, bytes } of records) tally.countBytes(bytes, 0, bytes.length, line);
  return tally.toPartial();
}

/** The same records by the general path alone: each split into fields and checked by RowValidator. */
function byValidator(records: readonly RawRecord[], context: Context): PartialMetrics {
  const tally = new RowTally(context.layout, context.encoding);
  const record = new ScannedRecord();
  const delimiter = context.layout.delimiter.charCodeAt(0);
  for (const { line, bytes } of records) {
    record.split(bytes, 0, bytes.length, delimiter, true);
    record.line = line;
    tally.count(record);
  }
  return tally.toPartial();
}

/** Values of each column, canonical forms first, then edge forms of every kind the validator handles. */
const VALUES: Record<Column | 'extra', readonly string[]> = {
  transaction_id: ['TX000001', '', 'TX1', '"TX, 1"', 'a"b', '"TX ""2"""', ' '],
  date: ['2023-01-14', '2024-02-29', '2022-12-31', '14/01/2023', '2023-02-29', '2023-13-01', '2023-00-10', ' 2023-01-14', '2023-01-14 ', '2023-1-14', '', '"2023-01-14"', '2023-01-14\r', '2023/01/14', '0000-01-01', '9999-12-31'],
  ville: ['Paris', 'Lyon', 'Saint-Étienne', ' Paris', 'Paris ', '', '  ', 'Évreux', '"Paris"', '"Lyon, Rhône"', '"Le ""Havre"""', 'Nîmes\u00a0', '\u00a0Nice', 'paris', '"  "', '"Paris"x', '""', 'Saint-E\u0301tienne', '"Paris', 'Pa"ris', '\u2003Lille'],
  type: ['vente', 'location', 'Vente', 'LOCATION', ' vente', 'vente ', 'ventes', '', 'loc', '"vente"', 'v', 'location\r'],
  modele: ['Peugeot 208', 'Citroën C3', '"Peugeot 308 SW, GT Line"', '"Alpine A110 ""Légende"""', '', ' ', 'é', 'Clio\u00a0', '"Clio"', '"ab"c', '"Clio', 'Clio "R"', '"Renault Clio, série limitée"', '"Zoé\nlong"', '"Clio "', '" Clio"'],
  prix: ['18990.00', '349.9', '349.90', '0', '0.00', '007.50', '12 345,67', '"12 345,67"', '12\u00a0345.00', '12\u202f345', '1.234', '12,3,4', '+5', '-5', '1e3', '.5', '5.', '9999999999999.99', '10000000000000', '00000000000000000001.5', '123 ', ' 123', '', '"349.90"', '1,5', '1 234.5'],
  duree_location_mois: ['', '24', '024', '0', '00', '601', '600', '1', '9999999', ' 12', '12 ', '1.5', '"12"', '12\r', '-1', '\u00a0'],
  extra: ['', 'x', '"a,b"', '"open'],
};

const anyRecordValue = (column: Column | 'extra'): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...VALUES[column].slice(0, 3)) },
    { weight: 3, arbitrary: fc.constantFrom(...VALUES[column]) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12, unit: fc.constantFrom('a', '1', '0', '.', ',', ';', ' ', '"', '-', '/', '\u00a0', 'é', '\r', '\n') }) },
  );

/** A header: the reference one, or its columns shuffled, the optional ones maybe dropped, an extra one maybe added. */
const anyHeader: fc.Arbitrary<{ names: string[]; delimiter: Delimiter }> = fc
  .record({
    reference: fc.boolean(),
    order: fc.shuffledSubarray(['transaction_id', 'date', 'ville', 'type', 'modele', 'prix', 'duree_location_mois', 'extra'], { minLength: 8, maxLength: 8 }),
    drop: fc.subarray(['transaction_id', 'duree_location_mois', 'extra']),
    delimiter: fc.constantFrom<Delimiter>(',', ',', ';'),
  })
  .map(({ reference, order, drop, delimiter }) => ({
    names: reference ? ['transaction_id', 'date', 'ville', 'type', 'modele', 'prix', 'duree_location_mois'] : order.filter((name) => !drop.includes(name)),
    delimiter,
  }));

const anyChunkInput = anyHeader.chain(({ names, delimiter }) =>
  fc.record({
    names: fc.constant(names),
    delimiter: fc.constant(delimiter),
    encoding: fc.constantFrom<SourceEncoding>('utf-8', 'utf-8', 'windows-1252'),
    rows: fc.array(
      fc.oneof(
        // Rows made of canonical values only (most of them for the fast path) ...
        fc.record({
          fields: fc.tuple(...names.map((name) => fc.constantFrom(...VALUES[name as Column | 'extra'].slice(0, 3)))),
          shape: fc.constant('same'),
          crlf: fc.constant(false),
          lineGap: fc.integer({ min: 1, max: 3 }),
        }),
        // ... and rows mixing in edge forms, wrong field counts (a field dropped or added) and a CR left at the end.
        fc.record({
          fields: fc.tuple(...names.map((name) => anyRecordValue(name as Column | 'extra'))),
          shape: fc.constantFrom('same', 'same', 'same', 'same', 'same', 'same', 'drop', 'add'),
          crlf: fc.boolean(),
          lineGap: fc.integer({ min: 1, max: 3 }),
        }),
      ),
      { maxLength: 60 },
    ),
  }),
);

function recordsOf(input: { delimiter: Delimiter; encoding: SourceEncoding; rows: { fields: string[]; shape: string; crlf: boolean; lineGap: number }[] }) {
  let line = 1;
  return input.rows.map(({ fields, shape, crlf, lineGap }) => {
    const values = shape === 'drop' ? fields.slice(1) : shape === 'add' ? [...fields, 'more'] : fields;
    const text = values.join(input.delimiter) + (crlf ? '\r' : '');
    line += lineGap;
    const bytes = input.encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'win1252');
    return { line, bytes };
  });
}

describe('the map step: the fast path against the validator alone', () => {
  it('gives the same PartialMetrics for any mix of plain and edge records, any header', () => {
    let plainRows = 0;
    let otherRows = 0;
    fc.assert(
      fc.property(anyChunkInput, (input) => {
        const context = { layout: layoutOf(input.names, input.delimiter), encoding: input.encoding };
        const records = recordsOf(input);
        expect(byFastPath(records, context)).toEqual(byValidator(records, context));
        const parser = new PlainRowParser(context.layout, input.delimiter.charCodeAt(0));
        for (const { bytes } of records) {
          if (parser.parse(bytes, 0, bytes.length)) plainRows++;
          else otherRows++;
        }
      }),
      { numRuns: Number(process.env.FAST_PATH_RUNS ?? 2000) },
    );
    // Both paths were exercised, in quantity.
    expect(plainRows).toBeGreaterThan(1000);
    expect(otherRows).toBeGreaterThan(1000);
  });

  it('gives the same samples, reasons and totals on records with more rejects than samples', () => {
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) {
      lines.push(`TX${i},2023-01-${String(1 + (i % 28)).padStart(2, '0')},Paris,vente,Clio,${i}.50,`);
      lines.push(`TX${i},2023-01-14,Paris,Vente,Clio,${VALUES.prix[i % VALUES.prix.length]},${VALUES.duree_location_mois[i % 16]}`);
    }
    const records = lines.map((text, i) => ({ line: 2 + i, bytes: Buffer.from(text) }));
    const context = { layout: REFERENCE_LAYOUT, encoding: 'utf-8' as const };
    const fast = byFastPath(records, context);
    expect(fast).toEqual(byValidator(records, context));
    expect(fast.rowsRejected).toBeGreaterThan(20);
    expect(fast.samples).toHaveLength(20);
  });
});

describe('PlainRowParser', () => {
  const parser = new PlainRowParser(REFERENCE_LAYOUT, 0x2c);
  const parse = (text: string): boolean => {
    const bytes = Buffer.from(text, 'utf8');
    return parser.parse(bytes, 0, bytes.length);
  };

  it('reads the plain form, quoted ville and modele included', () => {
    const bytes = Buffer.from(',2024-02-29,Saint-Étienne,location,"Peugeot 308 SW, GT Line",007.5,024');
    expect(parser.parse(bytes, 0, bytes.length)).toBe(true);
    expect(parser.monthIndex).toBe(2024 * 12 + 1);
    expect(parser.isVente).toBe(false);
    expect(parser.cents).toBe(750);
    expect(bytes.subarray(parser.villeStart, parser.villeEnd).toString()).toBe('Saint-Étienne');
    expect(bytes.subarray(parser.modeleStart, parser.modeleEnd).toString()).toBe('Peugeot 308 SW, GT Line');
    expect(parse('TX1,2023-01-14,Paris,vente,Peugeot 208,18990.00,')).toBe(true);
    expect(parser.cents).toBe(1899000);
    expect(parser.isVente).toBe(true);
    expect(parse('TX1,2023-01-14,Paris,vente,Peugeot 208,9999999999999.99,600')).toBe(true);
    expect(parser.cents).toBe(999999999999999);
    // The date is read by the validator's own parseDateMonthIndex, so its French form is plain too.
    expect(parse('TX1,14/01/2023,Paris,vente,Clio,1,')).toBe(true);
    expect(parser.monthIndex).toBe(2023 * 12);
  });

  // Each of these is left to the validator (valid or not there): the fast path accepts no other form.
  it.each([
    ['a date to trim', 'TX1, 2023-01-14,Paris,vente,Clio,1,'],
    ['an impossible date', 'TX1,2023-02-29,Paris,vente,Clio,1,'],
    ['a ville to trim', 'TX1,2023-01-14,Paris ,vente,Clio,1,'],
    ['a ville ending in NBSP', 'TX1,2023-01-14,Paris\u00a0,vente,Clio,1,'],
    ['an empty ville', 'TX1,2023-01-14,,vente,Clio,1,'],
    ['a ville with an escaped quote', 'TX1,2023-01-14,"Le ""Havre""",vente,Clio,1,'],
    ['bytes after a closing quote', 'TX1,2023-01-14,"Paris"x,vente,Clio,1,'],
    ['a quoted value to trim', 'TX1,2023-01-14,Paris,vente," Clio",1,'],
    ['an unterminated quote', 'TX1,2023-01-14,Paris,vente,"Clio,1,'],
    ['a type in capitals', 'TX1,2023-01-14,Paris,Vente,Clio,1,'],
    ['a type to trim', 'TX1,2023-01-14,Paris,vente ,Clio,1,'],
    ['an empty modele', 'TX1,2023-01-14,Paris,vente,,1,'],
    ['an empty modele before a prix with a comma', 'TX1,2023-01-14,Paris,vente,,1,5,'],
    ['an empty ville before a modele', 'TX1,2023-01-14,,vente,Clio,1,5'],
    ['a modele ending in é', 'TX1,2023-01-14,Paris,vente,Zoé,1,'],
    ['a quoted prix', 'TX1,2023-01-14,Paris,vente,Clio,"12 345,67",'],
    ['a grouped prix', 'TX1,2023-01-14,Paris,vente,Clio,12\u00a0345.00,'],
    ['a prix of three decimals', 'TX1,2023-01-14,Paris,vente,Clio,1.234,'],
    ['a prix ending in its mark', 'TX1,2023-01-14,Paris,vente,Clio,5.,'],
    ['a prix of 10^13 euros', 'TX1,2023-01-14,Paris,vente,Clio,10000000000000,'],
    ['a zero duree', 'TX1,2023-01-14,Paris,location,Clio,1,0'],
    ['a duree over 600', 'TX1,2023-01-14,Paris,location,Clio,1,601'],
    ['a duree to trim', 'TX1,2023-01-14,Paris,location,Clio,1,12 '],
    ['a CR left at the end', 'TX1,2023-01-14,Paris,location,Clio,1,12\r'],
    ['a quoted transaction_id', '"TX1",2023-01-14,Paris,vente,Clio,1,'],
    ['a missing field', 'TX1,2023-01-14,Paris,vente,Clio,1'],
    ['an extra field', 'TX1,2023-01-14,Paris,vente,Clio,1,,'],
  ])('leaves %s to the validator', (_what, text) => {
    expect(parse(text)).toBe(false);
    const records = [{ line: 7, bytes: Buffer.from(text, 'utf8') }];
    const context = { layout: REFERENCE_LAYOUT, encoding: 'utf-8' as const };
    expect(byFastPath(records, context)).toEqual(byValidator(records, context));
  });

  it('reads a header in another order, with a semicolon', () => {
    const layout = layoutOf(['prix', 'modele', 'extra', 'type', 'ville', 'date'], ';');
    const other = new PlainRowParser(layout, 0x3b);
    const bytes = Buffer.from('12.5;"Clio; RS";x;location;Lyon;2023-03-01');
    expect(other.parse(bytes, 0, bytes.length)).toBe(true);
    expect([other.cents, other.isVente, other.monthIndex]).toEqual([1250, false, 2023 * 12 + 2]);
    expect(bytes.subarray(other.modeleStart, other.modeleEnd).toString()).toBe('Clio; RS');
    for (const text of ['12,5;Clio;x;location;Lyon;2023-03-01', '12.5;Clio;x;location;Lyon', '12.5;Clio;x;location;Lyon;2023-03-01;']) {
      const row = Buffer.from(text);
      expect(other.parse(row, 0, row.length)).toBe(false);
    }
  });
});

describe('ValueInterner.internRepeated', () => {
  it('gives the ids intern gives, whatever the previous value was', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('Paris', 'Pari', 'Parisx', 'Lyon', 'Saint-Étienne', 'Saint-E\u0301tienne', '', 'x'), { maxLength: 40 }), (values) => {
        const repeated = new ValueInterner('utf-8');
        const plain = new ValueInterner('utf-8');
        for (const value of values) {
          const bytes = Buffer.from(value, 'utf8');
          expect(repeated.internRepeated(bytes, 0, bytes.length)).toBe(plain.intern(bytes, 0, bytes.length));
        }
        expect(repeated.values).toEqual(plain.values);
      }),
    );
  });
});

describe('CsvAggregator (fast path on quote-free records) against the validator alone', () => {
  it('gives the PartialMetrics of the general path over the same rows', () => {
    fc.assert(
      fc.property(anyChunkInput, fc.array(fc.nat(), { maxLength: 4 }), (input, cuts) => {
        const header = input.names.join(input.delimiter);
        const records = recordsOf(input);
        const separator = input.encoding === 'utf-8' ? Buffer.from('\n') : iconv.encode('\n', 'win1252');
        const file = Buffer.concat([Buffer.from(header), ...records.flatMap(({ bytes }) => [separator, bytes]), separator]);
        const aggregator = new CsvAggregator({ encoding: input.encoding });
        for (const piece of pieces(file, cuts.map((cut) => cut % (file.length + 1)))) aggregator.push(piece);
        let expected: PartialMetrics;
        try {
          expected = generalPath(file, input.encoding);
        } catch (error) {
          expect(() => aggregator.end()).toThrow((error as Error).constructor as new () => Error);
          return;
        }
        expect(aggregator.end()).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });
});

/** The file through the scanner with every record split, then the validator alone. */
function generalPath(file: Buffer, encoding: SourceEncoding): PartialMetrics {
  let tally: RowTally | null = null;
  let rows = 0;
  const scanner = new RecordScanner((record) => {
    if (tally === null) {
      tally = new RowTally(readHeaderLayout(record, scanner.delimiter, encoding), encoding);
      return;
    }
    rows++;
    tally.count(record);
  });
  scanner.push(file);
  scanner.end();
  if (tally === null) throw new EmptyFileError();
  if (rows === 0) throw new NoDataRowsError();
  return (tally as RowTally).toPartial();
}
