import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { CsvAggregator, readFileHeader, EmptyFileError, InputError, MissingColumnsError, NoDataRowsError, Utf8Checker } from '../src/index.js';
import { aggregate, HEADER, pieces } from './support/scan.js';

describe('header', () => {
  it('matches names trimmed and case-insensitively, in any order, ignoring unknown columns', () => {
    const aggregator = new CsvAggregator();
    aggregator.push(Buffer.from(' Prix ;MODELE; extra ;Type;  Ville;DATE;Duree_Location_Mois\n12 345,67;Clio;?;vente;Lyon;01/02/2023;\n'));
    const partial = aggregator.end();
    expect(aggregator.layout).toEqual({
      delimiter: ';',
      fieldCount: 7,
      columns: { transaction_id: -1, date: 5, ville: 4, type: 3, modele: 1, prix: 0, duree_location_mois: 6 },
      headerLine: 1,
    });
    expect(partial.villes.Lyon.months).toEqual({ '2023-02': 1234567 });
  });

  it('reads `;` files with decimal commas and a trailing `;` on every line', () => {
    const text = 'transaction_id;date;ville;type;modele;prix;duree_location_mois;\r\nT1;14/01/2023;Paris;vente;Peugeot 208;18 990,50;;\r\nT2;15/01/2023;Paris;location;Clio, Zen;349,9;24;\r\n';
    const partial = aggregate(text);
    expect(partial.rowsValid).toBe(2);
    expect(partial.villes.Paris.months).toEqual({ '2023-01': 1899050 + 34990 });
    expect(Object.keys(partial.villes.Paris.modeles)).toEqual(['Clio, Zen', 'Peugeot 208']);
  });

  it('reads a file with a BOM and CRLF line ends', () => {
    const partial = aggregate(`\uFEFF${HEADER}\r\nT1,2023-01-01,Paris,vente,"Clio, Zen",1.5,\r\nT2,2023-01-02,Paris,vente,Clio,bad,\r\n`);
    expect(partial.rowsValid).toBe(1);
    expect(Object.keys(partial.villes.Paris.modeles)).toEqual(['Clio, Zen']);
    expect(partial.samples).toEqual([{ line: 3, reason: "invalid prix 'bad'" }]);
  });

  it('reads a quoted decimal comma in a `,` file', () => {
    expect(aggregate(`${HEADER}\nT1,2023-01-01,Paris,vente,Clio,"1 234,5",\n`).villes.Paris.months).toEqual({ '2023-01': 123450 });
  });

  it('takes the first non-empty line as header and numbers lines physically', () => {
    const partial = aggregate(`\n\r\n${HEADER}\n\nT1,2023-13-01,Paris,vente,Clio,1,\n`);
    expect(partial.samples).toEqual([{ line: 5, reason: "invalid date '2023-13-01'" }]);
  });

  it('uses the first of two columns of the same name', () => {
    const partial = aggregate('date,ville,type,modele,prix,prix\n2023-01-01,Paris,vente,Clio,1,bad\n');
    expect(partial.rowsValid).toBe(1);
  });

  it('names the missing and the found columns', () => {
    const run = () => aggregate('transaction_id,Date,town,type,prix\nT1,2023-01-01,Paris,vente,1\n');
    expect(run).toThrow(MissingColumnsError);
    expect(run).toThrow('missing required column(s): ville, modele; found: transaction_id, Date, town, type, prix');
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect(error).toMatchObject({ missing: ['ville', 'modele'], found: ['transaction_id', 'Date', 'town', 'type', 'prix'] });
    }
  });

  it('fails an empty file in both readers, and a header-only file in the aggregator', () => {
    for (const text of ['', '\uFEFF', '\n\r\n  \n'.slice(0, 3)]) {
      expect(() => aggregate(text)).toThrow(EmptyFileError);
      expect(() => readFileHeader(Buffer.from(text), true)).toThrow(EmptyFileError);
    }
    for (const text of [HEADER, `${HEADER}\n`, `${HEADER}\r\n\r\n\n`]) {
      expect(() => aggregate(text)).toThrow(NoDataRowsError);
      const header = readFileHeader(Buffer.from(text), true)!;
      expect(header.dataStart).toBe(Buffer.byteLength(text.split('\n')[0]) + (text.includes('\n') ? 1 : 0));
    }
  });

  it('refuses a UTF-16 export by its byte order mark, and names an empty header name as such', () => {
    expect(() => readFileHeader(Buffer.from('\ufeffdate,ville\n', 'utf16le'), false)).toThrow(
      'the file is UTF-16 little-endian text (it starts with its byte order mark): export it as CSV in UTF-8 or Windows-1252',
    );
    expect(() => readFileHeader(Buffer.from([0xfe, 0xff, 0, 0x64]), false)).toThrow(/UTF-16 big-endian/);
    expect(readFileHeader(Buffer.from('   \n1\n'), false)!.layouts['utf-8']).toEqual({
      error: 'missing required column(s): date, ville, type, modele, prix; found: (empty)',
    });
  });

  it('reports the missing columns per encoding as soon as the header is read', () => {
    const header = readFileHeader(Buffer.from('a,b,c\n'), false)!;
    expect(header.layouts['utf-8']).toEqual({ error: 'missing required column(s): date, ville, type, modele, prix; found: a, b, c' });
    expect(new MissingColumnsError(['date'], ['x'.repeat(500), '\u0000bin']).message).toBe(`missing required column(s): date; found: ${'x'.repeat(40)}…, \\x00bin`);
    expect(new MissingColumnsError(['date'], ['vi\u200blle', '\u202eetad']).message).toBe('missing required column(s): date; found: vi\\u200blle, \\u202eetad');
  });
});

describe('encoding', () => {
  const text = `${HEADER}\nT1,2023-01-14,Nîmes,vente,Citroën C5 œ,12\u00a0345,\nT2,2023-01-15,Nîmes,location,Škoda “Fabia” €,349.9,24\n`;
  const cp1252 = iconv.encode(text, 'win1252');

  it('reads Windows-1252 bytes 0x80–0x9F and 0xA0 right (€ œ Š “ ” and the no-break space)', () => {
    expect([...cp1252].filter((b) => b >= 0x80 && b <= 0x9f).length).toBeGreaterThanOrEqual(5);
    const partial = aggregate(cp1252, { encoding: 'windows-1252' });
    expect(partial.rowsValid).toBe(2);
    expect(Object.keys(partial.villes)).toEqual(['Nîmes']);
    expect(Object.keys(partial.villes['Nîmes'].modeles)).toEqual(['Citroën C5 œ', 'Škoda “Fabia” €']);
    expect(partial.villes['Nîmes'].months).toEqual({ '2023-01': 1234500 + 34990 });
  });

  it('gives the same metrics for the UTF-8 and the Windows-1252 file', () => {
    expect(aggregate(cp1252, { encoding: 'windows-1252' })).toEqual(aggregate(text));
  });

  it('trims a Windows-1252 no-break space around a field', () => {
    const bytes = iconv.encode(`${HEADER}\nT1,2023-01-14,\u00a0Nîmes\u00a0,vente,Clio,1,\n`, 'win1252');
    expect(Object.keys(aggregate(bytes, { encoding: 'windows-1252' }).villes)).toEqual(['Nîmes']);
  });
});

describe('Utf8Checker', () => {
  const check = (bytes: Uint8Array, cuts: number[] = []): boolean => {
    const checker = new Utf8Checker();
    for (const piece of pieces(bytes, cuts)) checker.push(piece);
    return checker.end();
  };

  it('accepts valid UTF-8 cut at any byte, multi-byte characters included', () => {
    const bytes = Buffer.from('Nîmes € 𝄞 œ\u202f', 'utf8');
    for (let i = 0; i <= bytes.length; i++) expect(check(bytes, [i])).toBe(true);
    const oneByOne = Array.from({ length: bytes.length }, (_, i) => i);
    expect(check(bytes, oneByOne)).toBe(true);
  });

  it('rejects Windows-1252 text, wherever it is cut', () => {
    const bytes = iconv.encode('Nîmes, Škoda €', 'win1252');
    for (let i = 0; i <= bytes.length; i++) expect(check(bytes, [i])).toBe(false);
  });

  it('rejects a character cut short by the end of the file, overlongs and surrogates', () => {
    expect(check(Buffer.from([0x61, 0xe2, 0x82]))).toBe(false);
    expect(check(Buffer.from([0xc0, 0xaf]))).toBe(false);
    expect(check(Buffer.from([0xed, 0xa0, 0x80]))).toBe(false);
    expect(check(Buffer.from([0xff]))).toBe(false);
  });

  it('keeps a cut character of its own, for a caller that reads into the same buffer again', () => {
    const bytes = Buffer.from('aé€𝄞b'.repeat(50), 'utf8');
    for (const size of [1, 2, 3, 5, 7, 64]) {
      const checker = new Utf8Checker();
      const reused = Buffer.alloc(size);
      for (let at = 0; at < bytes.length; at += size) {
        const n = bytes.copy(reused, 0, at, at + size);
        expect(checker.push(reused.subarray(0, n))).toBe(true);
        reused.fill(0xff); // what the next read would overwrite
      }
      expect(checker.end()).toBe(true);
    }
  });

  it('says valid for an empty stream', () => {
    expect(check(Buffer.alloc(0))).toBe(true);
  });

  it('answers what buffer.isUtf8 answers for the whole stream, however it is cut', () => {
    // Mostly UTF-8 characters (some cut anywhere), with stray lead, continuation and Windows-1252 bytes.
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 6 }).map((text) => Buffer.from(text, 'utf8')),
      fc.uint8Array({ minLength: 1, maxLength: 3 }).map((bytes) => Buffer.from(bytes)),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 6 }), (parts, cutSeeds) => {
        const bytes = Buffer.concat(parts);
        const cuts = cutSeeds.map((seed) => seed % (bytes.length + 1)).sort((a, b) => a - b);
        expect(check(bytes, cuts)).toBe(isUtf8(bytes));
      }),
      { numRuns: 3000 },
    );
  });
});
