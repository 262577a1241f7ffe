import { describe, expect, it } from '@jest/globals';
import { CsvAggregator, HeaderTooLongError, RecordScanner } from '../src/index.js';
import { pieces, scanRecords } from './support/scan.js';

const everyCut = (text: string): number[][] => Array.from({ length: Buffer.byteLength(text) + 1 }, (_, i) => [i]);

describe('RecordScanner', () => {
  it('splits plain records and numbers their lines', () => {
    expect(scanRecords('a,b,c\n1,2,3\n4,5,6\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'], unterminated: false },
      { line: 2, fields: ['1', '2', '3'], unterminated: false },
      { line: 3, fields: ['4', '5', '6'], unterminated: false },
    ]);
  });

  it('reads a last record without line end', () => {
    expect(scanRecords('a,b\n1,2').map((r) => r.fields)).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('accepts CRLF line ends and keeps CR inside quotes', () => {
    expect(scanRecords('a,b\r\n1,"x\r\ny"\r\n2,3\r\n')).toEqual([
      { line: 1, fields: ['a', 'b'], unterminated: false },
      { line: 2, fields: ['1', 'x\r\ny'], unterminated: false },
      { line: 4, fields: ['2', '3'], unterminated: false },
    ]);
  });

  it('keeps a lone CR outside quotes as data (only LF and CRLF end a line)', () => {
    expect(scanRecords('a,b\n1\r2,3\n').map((r) => r.fields)).toEqual([['a', 'b'], ['1\r2', '3']]);
  });

  it('keeps a CR that ends the file without LF as data', () => {
    expect(scanRecords('a,b\n1,2\n\r')).toEqual([
      { line: 1, fields: ['a', 'b'], unterminated: false },
      { line: 2, fields: ['1', '2'], unterminated: false },
      { line: 3, fields: ['\r'], unterminated: false },
    ]);
  });

  it('skips a UTF-8 BOM', () => {
    expect(scanRecords('\uFEFFdate,ville\n1,2\n').map((r) => r.fields)).toEqual([['date', 'ville'], ['1', '2']]);
  });

  it('reads quoted delimiters, escaped quotes and embedded line breaks; the line is where the record starts', () => {
    const text = 'a,b,c\n1,"Peugeot, 208",x\n2,"say ""hi""",y\n3,"multi\nline\nvalue",z\n4,e,f\n';
    expect(scanRecords(text)).toEqual([
      { line: 1, fields: ['a', 'b', 'c'], unterminated: false },
      { line: 2, fields: ['1', 'Peugeot, 208', 'x'], unterminated: false },
      { line: 3, fields: ['2', 'say "hi"', 'y'], unterminated: false },
      { line: 4, fields: ['3', 'multi\nline\nvalue', 'z'], unterminated: false },
      { line: 7, fields: ['4', 'e', 'f'], unterminated: false },
    ]);
  });

  it('skips empty lines silently but counts them; a line of blanks is a record', () => {
    expect(scanRecords('a,b\n\n1,2\r\n\r\n   \n3,4\n\n')).toEqual([
      { line: 1, fields: ['a', 'b'], unterminated: false },
      { line: 3, fields: ['1', '2'], unterminated: false },
      { line: 5, fields: ['   '], unterminated: false },
      { line: 6, fields: ['3', '4'], unterminated: false },
    ]);
  });

  it('finds the header after leading empty lines', () => {
    expect(scanRecords('\n\r\na;b\n1;2\n')).toEqual([
      { line: 3, fields: ['a', 'b'], unterminated: false },
      { line: 4, fields: ['1', '2'], unterminated: false },
    ]);
  });

  it('picks `;` only when the header line has more `;` than `,`', () => {
    expect(scanRecords('a;b;c,d\n1;2;3,4\n')[1].fields).toEqual(['1', '2', '3,4']);
    expect(scanRecords('a;b,c,d\n1;2,3,4\n')[1].fields).toEqual(['1;2', '3', '4']);
    expect(scanRecords('a;b,c\n1;2,3\n')[1].fields).toEqual(['1;2', '3']);
  });

  it('keeps empty fields, a trailing delimiter giving an empty last field', () => {
    expect(scanRecords('a,b,c\n,,\n1,2,\n"",x,""\n').slice(1).map((r) => r.fields)).toEqual([
      ['', '', ''],
      ['1', '2', ''],
      ['', 'x', ''],
    ]);
  });

  it('treats a quote inside an unquoted field as data, and keeps text after a closing quote', () => {
    expect(scanRecords('a,b\n12"5,x\n"ab"c ,y\n').slice(1).map((r) => r.fields)).toEqual([
      ['12"5', 'x'],
      ['abc ', 'y'],
    ]);
  });

  it('marks a quoted field left open at the end of the file as unterminated', () => {
    expect(scanRecords('a,b\n1,2\n3,"open\nrest,of,file\n')).toEqual([
      { line: 1, fields: ['a', 'b'], unterminated: false },
      { line: 2, fields: ['1', '2'], unterminated: false },
      { line: 3, fields: ['3', 'open\nrest,of,file\n'], unterminated: true },
    ]);
  });

  it('gives the same records wherever the bytes are cut, once or twice', () => {
    const text = '\uFEFFa,b,c\r\n1,"Peugeot, 208",x\r\n\r\n2,"say ""hi""",é\n3,"multi\r\nline",z\n   \n4,e,"f"';
    const whole = scanRecords(text);
    for (const cut of everyCut(text)) expect(scanRecords(text, cut)).toEqual(whole);
    const length = Buffer.byteLength(text);
    for (let i = 0; i <= length; i += 3) {
      for (let j = i; j <= length; j += 5) expect(scanRecords(text, [i, j])).toEqual(whole);
    }
  });

  it('reads one byte at a time', () => {
    const text = 'a,b\n"x\ny",2\n\n3,4';
    const bytes = Buffer.from(text);
    const cuts = Array.from({ length: bytes.length }, (_, i) => i);
    expect(scanRecords(bytes, cuts)).toEqual(scanRecords(text));
  });

  it('reports nothing for an empty input or one of empty lines only', () => {
    expect(scanRecords('')).toEqual([]);
    expect(scanRecords('\n\r\n\n')).toEqual([]);
    expect(scanRecords('\uFEFF')).toEqual([]);
  });

  it('reads a header with no line end at all', () => {
    expect(scanRecords('\uFEFFdate;ville')).toEqual([{ line: 1, fields: ['date', 'ville'], unterminated: false }]);
  });

  it('handles a record far longer than the buffers it arrives in', () => {
    const long = 'x'.repeat(100_000);
    const text = `a,b\n1,"${long}\n${long}"\n2,3\n`;
    const cuts = Array.from({ length: 60 }, (_, i) => i * 4096);
    const records = scanRecords(text, cuts);
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
    expect(records[1].fields[1]).toBe(`${long}\n${long}`);
  });

  it('reads a record longer than maxRecordBytes whole but hands it over unsplit, its lines counted, whatever the cuts', () => {
    const swallowed = Array.from({ length: 50 }, (_, i) => `${i},row`).join('\n');
    const text = `a,b\n1,"open\n${swallowed}\nclosed",x\n2,3\n4,"open\nto the end`;
    const expected = [
      { line: 1, fields: 2, tooLong: false, unterminated: false, lines: 1 },
      { line: 2, fields: 0, tooLong: true, unterminated: false, lines: 52 },
      { line: 54, fields: 2, tooLong: false, unterminated: false, lines: 1 },
      { line: 55, fields: 2, tooLong: false, unterminated: true, lines: 2 },
    ];
    for (const cuts of [[], [10, 30, 60, 200, 300], Array.from({ length: text.length }, (_, i) => i)]) {
      const seen: typeof expected = [];
      const scanner = new RecordScanner(
        (r) => seen.push({ line: r.line, fields: r.fieldCount, tooLong: r.tooLong, unterminated: r.unterminated, lines: r.spannedLines }),
        { maxRecordBytes: 40 },
      );
      for (const piece of pieces(Buffer.from(text), cuts)) scanner.push(piece);
      scanner.end();
      expect(seen).toEqual(expected);
    }
  });

  it('tells a record still inside quotes at the end of the file from one merely longer than the cap', () => {
    const long = 'x'.repeat(100);
    const seen: { tooLong: boolean; unterminated: boolean; lines: number }[] = [];
    const scanner = new RecordScanner((r) => seen.push({ tooLong: r.tooLong, unterminated: r.unterminated, lines: r.spannedLines }), { maxRecordBytes: 40 });
    scanner.push(Buffer.from(`a,b\n1,"${long}\n${long}\n`));
    scanner.end();
    expect(seen[1]).toEqual({ tooLong: true, unterminated: true, lines: 2 });
  });

  it('fails a file with no line end in its first MiB (CR-only line ends) without reading on', () => {
    const aggregator = new CsvAggregator();
    const line = Buffer.from('TX1,2023-01-01,Paris,vente,Clio,1,\r'.repeat(1000));
    aggregator.push(Buffer.from('transaction_id,date,ville,type,modele,prix,duree_location_mois\r'));
    expect(() => {
      for (let i = 0; i < 40; i++) aggregator.push(line);
    }).toThrow(HeaderTooLongError);
  });
});
