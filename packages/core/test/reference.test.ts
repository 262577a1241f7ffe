// The reference reading of the contract, checked on small hand-written files with hand-computed answers.
import { describe, expect, it } from '@jest/globals';
import iconv from 'iconv-lite';
import {
  compareCodePoints,
  isReferenceFailure,
  referenceCompute,
  referencePercentages,
  type ReferenceOutcome,
  type ReferenceResult,
} from './support/reference.js';

const HEADER = 'transaction_id,date,ville,type,modele,prix,duree_location_mois';

function outcome(result: ReferenceResult): ReferenceOutcome {
  if (isReferenceFailure(result)) throw new Error(`unexpected failure: ${result.error}`);
  return result;
}

function run(text: string, opts?: Parameters<typeof referenceCompute>[1]): ReferenceOutcome {
  return outcome(referenceCompute(Buffer.from(text, 'utf8'), opts));
}

/** `count` valid filler rows, to keep reject ratios under the limit. */
function fillers(count: number): string {
  return Array.from({ length: count }, (_, i) => `F${i},2023-06-01,Lille,vente,Fiat 500,1.00,`).join('\n');
}

describe('referenceCompute — metrics', () => {
  it('computes every metric of a small clean file exactly', () => {
    const csv = [
      HEADER,
      'TX1,2023-01-14,Paris,vente,Peugeot 208,18990.00,',
      'TX2,2023-01-15,Lyon,location,Renault Clio,349.90,24',
      'TX3,2023-01-20,Paris,location,Peugeot 208,0.10,12',
      'TX4,2023-02-01,Paris,vente,"Renault Clio, série limitée",0.20,',
      'TX5,2022-12-31,Paris,vente,Renault Clio,1000,',
      'TX6,2023-01-31,Paris,Location,Renault Clio,5.5,36',
      '',
    ].join('\n');
    const r = run(csv);
    expect(r.rowsValid).toBe(6);
    expect(r.rowsRejected).toBe(0);
    expect(r.samples).toEqual([]);
    expect(r.results.villes).toEqual(['Lyon', 'Paris']);
    expect(r.results.ca_mensuel).toEqual({
      Lyon: { '2023-01': 349.9 },
      Paris: { '2022-12': 1000, '2023-01': 18995.6, '2023-02': 0.2 },
    });
    expect(Object.keys(r.results.ca_mensuel.Paris)).toEqual(['2022-12', '2023-01', '2023-02']);
    expect(r.results.repartition).toEqual({
      Lyon: { vente: 0, location: 1 },
      Paris: { vente: 3, location: 2 },
    });
    expect(r.results.top_modeles.Paris).toEqual([
      { modele: 'Peugeot 208', transactions: 2, ventes: 1, locations: 1, ca: 18990.1 },
      { modele: 'Renault Clio', transactions: 2, ventes: 1, locations: 1, ca: 1005.5 },
      { modele: 'Renault Clio, série limitée', transactions: 1, ventes: 1, locations: 0, ca: 0.2 },
    ]);
    expect(r.results.top_modeles.Lyon).toEqual([
      { modele: 'Renault Clio', transactions: 1, ventes: 0, locations: 1, ca: 349.9 },
    ]);
    expect(r.results.rows_valid).toBe(6);
    expect(r.results.rows_rejected).toBe(0);
  });

  it('sums money in cents: 0.10 + 0.20 is 0.3 and large sums keep their cents', () => {
    const rows = ['0.10', '0.20', '45999999.99', '45999999.99', '0.01'].map(
      (prix, i) => `T${i},2024-02-29,Nice,vente,Tesla Model 3,${prix},`,
    );
    const r = run([HEADER, ...rows].join('\n'));
    expect(r.results.ca_mensuel.Nice['2024-02']).toBe(92000000.29);
    expect(JSON.stringify(r.results.top_modeles.Nice[0].ca)).toBe('92000000.29');
  });

  it('sorts villes with French collation and ranks models by count then code point', () => {
    const rows = [
      'a,2023-03-01,Évreux,vente,Zoé,1,',
      'b,2023-03-01,Paris,vente,Zoe,1,',
      'c,2023-03-01,Paris,vente,Zoé,1,',
      'd,2023-03-01,Paris,vente,zoe,1,',
      'e,2023-03-01,Paris,vente,Zoe,1,',
      'f,2023-03-01,Saint-Étienne,vente,X,1,',
      'g,2023-03-01,Lyon,vente,X,1,',
      'h,2023-03-01,Aix-en-Provence,vente,X,1,',
      'i,2023-03-01,Nîmes,vente,X,1,',
      'j,2023-03-01,Nice,vente,X,1,',
      'k,2023-03-01,evreux,vente,X,1,',
    ];
    const r = run([HEADER, ...rows].join('\n'));
    expect(r.results.villes).toEqual(['Aix-en-Provence', 'evreux', 'Évreux', 'Lyon', 'Nice', 'Nîmes', 'Paris', 'Saint-Étienne']);
    // Zoe (2) first; then Zoé and zoe (1 each) in code-point order: 'Z' (U+005A) < 'z' (U+007A).
    expect(r.results.top_modeles.Paris.map((m) => m.modele)).toEqual(['Zoe', 'Zoé', 'zoe']);
  });

  it('compares model names by code point, not UTF-16 unit', () => {
    // U+FF21 (fullwidth A) is one unit above the surrogates used by U+1F697 (🚗), but a smaller code point.
    expect(compareCodePoints('\uff21', '🚗')).toBeLessThan(0);
    expect('\uff21' < '🚗').toBe(false);
    const r = run([HEADER, 'a,2023-03-01,Paris,vente,🚗,1,', 'b,2023-03-01,Paris,vente,\uff21,1,'].join('\n'));
    expect(r.results.top_modeles.Paris.map((m) => m.modele)).toEqual(['\uff21', '🚗']);
  });

  it('trims every field, normalises ville to NFC and keeps a city named __proto__ as data', () => {
    const nfd = 'Ni\u0302mes'; // i + combining circumflex: NFD of Nîmes
    const rows = [
      `a, 2023-03-01 ,  ${nfd}  , VENTE ,  Fiat 500  , 10.00 , `,
      'b,2023-03-02,Nîmes,location,Fiat 500,5,\t12\t',
      'c,2023-03-02,__proto__,vente,Fiat 500,7,',
    ];
    const r = run([HEADER, ...rows].join('\n'));
    expect(r.results.villes).toEqual(['__proto__', 'Nîmes']);
    expect(r.results.repartition['Nîmes']).toEqual({ vente: 1, location: 1 });
    expect(r.results.top_modeles['Nîmes']).toEqual([
      { modele: 'Fiat 500', transactions: 2, ventes: 1, locations: 1, ca: 15 },
    ]);
    expect(Object.keys(r.results.ca_mensuel)).toContain('__proto__');
    expect(r.results.ca_mensuel['__proto__']).toEqual({ '2023-03': 7 });
  });

  it('counts a model once whether its accents are composed (NFC) or not (NFD)', () => {
    const rows = ['a,2023-03-01,Paris,vente,Citroe\u0308n C3,1,', 'b,2023-03-01,Paris,vente,Citroën C3,2,'];
    const r = run([HEADER, ...rows].join('\n'));
    expect(r.results.top_modeles.Paris).toEqual([
      { modele: 'Citroën C3', transactions: 2, ventes: 2, locations: 0, ca: 3 },
    ]);
  });
});

describe('referenceCompute — reading the file', () => {
  it('reads a French Excel export: BOM, `;`, CRLF, DD/MM/YYYY, decimal comma, grouped thousands', () => {
    const csv =
      '\ufeffTransaction_ID;Date;Ville;Type;Modele;Prix;Duree_location_mois;\r\n' +
      'T1;14/01/2023;Paris;vente;Peugeot 208, GT;12 345,67;;\r\n' +
      'T2;15/01/2023;Paris;vente;Peugeot 208, GT;1\u00a0000\u00a0000,5;;\r\n' +
      'T3;16/01/2023;Paris;location;Peugeot 208, GT;1\u202f234;24;\r\n' +
      'T4;17/01/2023;Paris;vente;Peugeot 208, GT;12345.6;;\r\n';
    const r = run(csv);
    expect(r.delimiter).toBe(';');
    expect(r.rowsRejected).toBe(0);
    expect(r.results.ca_mensuel.Paris['2023-01']).toBe(1025925.77);
    expect(r.results.top_modeles.Paris[0]).toMatchObject({ modele: 'Peugeot 208, GT', transactions: 4, locations: 1 });
  });

  it('reads a file that is not valid UTF-8 as Windows-1252', () => {
    const text = `${HEADER}\nT1,2023-05-05,Nîmes,vente,Citroën C3 “Plus”,100.00,\n`;
    const bytes = iconv.encode(text, 'windows-1252');
    expect(bytes.includes(0xee)).toBe(true); // î
    expect(bytes.includes(0x93)).toBe(true); // “ (0x80–0x9F: where a Latin-1 table goes wrong)
    const r = outcome(referenceCompute(bytes));
    expect(r.encoding).toBe('windows-1252');
    expect(r.results.villes).toEqual(['Nîmes']);
    expect(r.results.top_modeles['Nîmes'][0].modele).toBe('Citroën C3 “Plus”');
  });

  it('takes columns in any order, ignores unknown ones, needs no transaction_id nor duree column', () => {
    const csv = ['PRIX , Modele,extra,ville,type,date', '10.5,"Clio ""RS""",x,Lyon,vente,2023-07-07', ''].join('\n');
    const r = run(csv);
    expect(r.results.top_modeles.Lyon).toEqual([
      { modele: 'Clio "RS"', transactions: 1, ventes: 1, locations: 0, ca: 10.5 },
    ]);
  });

  it('counts physical lines across quoted line breaks and skipped empty lines', () => {
    const csv = [
      '', // line 1: empty, before the header
      HEADER, // line 2
      'a,2023-01-01,Paris,vente,"Clio', // line 3: a record over two lines
      'Société",10,', // line 4
      '', // line 5: skipped
      'b,2023-13-01,Paris,vente,Clio,10,', // line 6: rejected
      '   ', // line 7: blanks are a row with the wrong field count
      fillers(2), // lines 8–9
    ].join('\r\n');
    const r = run(csv);
    expect(r.rowsValid).toBe(3);
    expect(r.results.top_modeles.Paris[0].modele).toBe('Clio\r\nSociété');
    expect(r.samples).toEqual([
      { line: 6, reason: "invalid date '2023-13-01'", code: 'invalid_date' },
      { line: 7, reason: 'expected 7 fields, found 1', code: 'field_count' },
    ]);
  });

  it('rejects a last record whose quote is left open', () => {
    const csv = `${HEADER}\n${fillers(2)}\nz,2023-01-01,Paris,vente,"Clio,10,\n`;
    const r = run(csv);
    expect(r.rowsValid).toBe(2);
    expect(r.rejectedByReason).toEqual({ unterminated_quote: 1 });
    expect(r.samples).toEqual([
      { line: 4, reason: 'quoted field left open at the end of the file', code: 'unterminated_quote' },
    ]);
  });
});

describe('referenceCompute — rejected rows', () => {
  const cases: Array<[string, string, string]> = [
    // [row, reason code, why]
    ['x,2023-02-30,Paris,vente,Clio,10,', 'invalid_date', 'no 30 February'],
    ['x,2023-02-29,Paris,vente,Clio,10,', 'invalid_date', '2023 is not a leap year'],
    ['x,1900-02-29,Paris,vente,Clio,10,', 'invalid_date', '1900 is not a leap year'],
    ['x,2023-1-05,Paris,vente,Clio,10,', 'invalid_date', 'one-digit month'],
    ['x,5/01/2023,Paris,vente,Clio,10,', 'invalid_date', 'one-digit day'],
    ['x,2023/01/05,Paris,vente,Clio,10,', 'invalid_date', 'slashes in ISO order'],
    ['x,,Paris,vente,Clio,10,', 'invalid_date', 'empty date'],
    ['x,2023-04-31,,vente,Clio,10,', 'invalid_date', 'date first, before the empty ville'],
    ['x,2023-04-30,  ,vente,Clio,10,', 'missing_ville', 'ville of blanks'],
    ['x,2023-04-30,Paris,achat,Clio,10,', 'invalid_type', 'unknown type'],
    ['x,2023-04-30,Paris,ventes,,10,', 'invalid_type', 'type before modele'],
    ['x,2023-04-30,Paris,vente,,10,', 'missing_modele', 'empty modele'],
    ['x,2023-04-30,Paris,vente,Clio,-10,', 'invalid_prix', 'negative'],
    ['x,2023-04-30,Paris,vente,Clio,10.999,', 'invalid_prix', 'three decimals'],
    ['x,2023-04-30,Paris,vente,Clio,abc,', 'invalid_prix', 'garbage'],
    ['x,2023-04-30,Paris,vente,Clio,,', 'invalid_prix', 'empty prix'],
    ['x,2023-04-30,Paris,vente,Clio,.5,', 'invalid_prix', 'no integer part'],
    ['x,2023-04-30,Paris,vente,Clio,"10,",', 'invalid_prix', 'decimal mark without decimals'],
    ['x,2023-04-30,Paris,vente,Clio,12 34,', 'invalid_prix', 'a group of two digits'],
    ['x,2023-04-30,Paris,vente,Clio,1234 567,', 'invalid_prix', 'a first group of four digits'],
    ['x,2023-04-30,Paris,vente,Clio,10000000000000,', 'invalid_prix', '10^13 €: too large to sum exactly'],
    ['x,2023-04-30,Paris,vente,Clio,10,0', 'invalid_duree', 'duree 0'],
    ['x,2023-04-30,Paris,location,Clio,10,601', 'invalid_duree', 'duree 601'],
    ['x,2023-04-30,Paris,location,Clio,10,abc', 'invalid_duree', 'duree abc'],
    ['x,2023-04-30,Paris,location,Clio,10,12.0', 'invalid_duree', 'duree not an integer'],
    ['x,2023-04-30,Paris,vente,Clio,10', 'field_count', 'one field short'],
    ['x,2023-04-30,Paris,vente,Clio,10,,', 'field_count', 'one field too many'],
    ['x,2023-02-30,,achat,,-1,0,extra', 'field_count', 'field count before every other rule'],
  ];

  it.each(cases)('%s → %s (%s)', (row, code) => {
    const r = run([HEADER, fillers(3), row].join('\n'));
    expect(r.rowsValid).toBe(3);
    expect(r.rowsRejected).toBe(1);
    expect(r.rejectedByReason).toEqual({ [code]: 1 });
    expect(r.samples).toHaveLength(1);
    expect(r.samples[0].line).toBe(5);
    expect(r.samples[0].code).toBe(code);
    expect(r.results.rows_rejected).toBe(1);
  });

  it.each([
    ['0', 0],
    ['0,5', 0.5],
    ['007.50', 7.5],
    ['600', 600],
    ['1 234 567.8', 1234567.8],
    ['9999999999999.99', 9999999999999.99],
  ])('accepts prix %s as %p', (prix, expected) => {
    const r = run([HEADER, `x,2023-04-30,Paris,vente,Clio,"${prix}",1`].join('\n'));
    expect(r.rowsRejected).toBe(0);
    expect(r.results.ca_mensuel.Paris['2023-04']).toBe(expected);
  });

  it('accepts duree 1, 600 and leading zeros, and a vente with a duree', () => {
    const rows = ['1', '600', '012', ''].map((d, i) => `x${i},2023-04-30,Paris,vente,Clio,1,${d}`);
    expect(run([HEADER, ...rows].join('\n')).rowsValid).toBe(4);
  });

  it('keeps the 20 samples with the smallest line numbers and counts every reject', () => {
    const bad = Array.from({ length: 25 }, (_, i) => `b${i},2023-04-31,Paris,vente,Clio,1,`);
    const r = run([HEADER, fillers(30), ...bad].join('\n'));
    expect(r.rowsRejected).toBe(25);
    expect(r.rejectedByReason).toEqual({ invalid_date: 25 });
    expect(r.samples.map((s) => s.line)).toEqual(Array.from({ length: 20 }, (_, i) => 32 + i));
  });
});

describe('referenceCompute — failed runs', () => {
  it.each([
    ['', 'empty_file'],
    ['\ufeff\n\r\n', 'empty_file'],
    [`${HEADER}\n\n`, 'no_data_rows'],
  ])('fails on %j (%s)', (text, kind) => {
    const result = referenceCompute(Buffer.from(text, 'utf8'));
    expect(isReferenceFailure(result) && result.kind).toBe(kind);
  });

  it('names the missing and the found columns', () => {
    const result = referenceCompute(Buffer.from('id;Date;Ville;modele\n1;2023-01-01;Paris;Clio\n'));
    if (!isReferenceFailure(result)) throw new Error('expected a failure');
    expect(result.kind).toBe('missing_columns');
    expect(result.error).toContain('type, prix');
    expect(result.error).toContain('id, Date, Ville, modele');
  });

  it('fails above the reject ratio, not at it', () => {
    const bad = 'b,2023-04-31,Paris,vente,Clio,1,';
    const half = [HEADER, fillers(2), bad, bad].join('\n');
    expect(run(half).rowsRejected).toBe(2);
    const overHalf = [HEADER, fillers(2), bad, bad, bad].join('\n');
    const result = referenceCompute(Buffer.from(overHalf));
    expect(isReferenceFailure(result) && result.kind).toBe('too_many_rejects');
    expect(outcome(referenceCompute(Buffer.from(overHalf), { maxRejectRatio: 0.6 })).rowsRejected).toBe(3);
  });
});

describe('referencePercentages', () => {
  it.each([
    [{ vente: 812, location: 540 }, { vente: 60.06, location: 39.94 }], // 60.0591… rounds up
    [{ vente: 1, location: 2 }, { vente: 33.33, location: 66.67 }], // 33.333…
    [{ vente: 2, location: 1 }, { vente: 66.67, location: 33.33 }], // 66.666…
    [{ vente: 1, location: 7 }, { vente: 12.5, location: 87.5 }],
    [{ vente: 1, location: 15 }, { vente: 6.25, location: 93.75 }],
    [{ vente: 1, location: 159 }, { vente: 0.63, location: 99.37 }], // 0.625 exactly: half away from zero
    [{ vente: 1, location: 799 }, { vente: 0.13, location: 99.87 }], // 0.125 exactly
    [{ vente: 201, location: 2299 }, { vente: 8.04, location: 91.96 }], // 100 - 8.04 is 91.96000000000001 in doubles
    [{ vente: 0, location: 3 }, { vente: 0, location: 100 }],
    [{ vente: 5, location: 0 }, { vente: 100, location: 0 }],
  ])('%j → %j', (counts, expected) => {
    const shares = referencePercentages(counts);
    expect(shares).toEqual(expected);
    expect(Math.round((shares.vente + shares.location) * 100)).toBe(10000);
  });
});
