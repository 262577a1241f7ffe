import { describe, expect, it } from '@jest/globals';
import { aggregate, HEADER } from './support/scan.js';

interface Row {
  transaction_id: string;
  date: string;
  ville: string;
  type: string;
  modele: string;
  prix: string;
  duree_location_mois: string;
}

const base: Row = {
  transaction_id: 'TX1',
  date: '2023-01-14',
  ville: 'Paris',
  type: 'vente',
  modele: 'Peugeot 208',
  prix: '18990.00',
  duree_location_mois: '',
};

const quote = (value: string): string => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** One data row (on line 2) through CsvAggregator: its reason code and sample, or the parsed values. */
function verdict(changes: Partial<Row>) {
  const row = { ...base, ...changes };
  const line = [row.transaction_id, row.date, row.ville, row.type, row.modele, row.prix, row.duree_location_mois].map(quote).join(',');
  const partial = aggregate(`${HEADER}\n${line}\n`);
  if (partial.rowsValid === 1) {
    const [ville] = Object.keys(partial.villes);
    const villePartial = partial.villes[ville];
    const [month] = Object.keys(villePartial.months);
    const [modele] = Object.keys(villePartial.modeles);
    return { valid: true, ville, month, modele, cents: villePartial.months[month], vente: villePartial.vente, location: villePartial.location };
  }
  const [code] = Object.keys(partial.rejectedByReason);
  return { valid: false, code, reason: partial.samples[0].reason, line: partial.samples[0].line };
}

describe('date', () => {
  it.each([
    ['2023-01-14', '2023-01'],
    ['14/01/2023', '2023-01'],
    ['2024-02-29', '2024-02'],
    ['29/02/2000', '2000-02'],
    ['  2023-12-31 ', '2023-12'],
    ['0001-01-01', '0001-01'],
  ])('accepts %j', (date, month) => {
    expect(verdict({ date })).toMatchObject({ valid: true, month });
  });

  it.each(['2023-13-01', '2023-00-10', '2023-02-29', '1900-02-29', '2023-04-31', '2023-01-00', '2023-1-14', '14/1/2023', '2023/01/14', '14-01-2023', '20230114', '2023-01-14T10:00', '', 'abcd-ef-gh', '2023-01-1x', '31/04/2023'])(
    'rejects %j',
    (date) => {
      expect(verdict({ date })).toEqual({ valid: false, code: 'invalid_date', reason: `invalid date '${date.trim()}'`, line: 2 });
    },
  );
});

describe('ville', () => {
  it('keeps the trimmed text, NFC-normalised', () => {
    expect(verdict({ ville: '  Nîmes\u00a0' })).toMatchObject({ valid: true, ville: 'Nîmes' });
    expect(verdict({ ville: 'Saint-E\u0301tienne' })).toMatchObject({ valid: true, ville: 'Saint-Étienne' });
  });

  it.each(['', '   ', '\u00a0\u202f\u3000\t'])('rejects a blank ville %j', (ville) => {
    expect(verdict({ ville })).toMatchObject({ valid: false, code: 'missing_ville', reason: 'empty ville' });
  });
});

describe('type', () => {
  it.each([
    ['vente', 1, 0],
    ['VENTE', 1, 0],
    [' Location ', 0, 1],
    ['LoCaTiOn', 0, 1],
  ])('accepts %j', (type, vente, location) => {
    expect(verdict({ type })).toMatchObject({ valid: true, vente, location });
  });

  it.each(['', 'vendu', 'ventes', 'locatio', 'loc ation', 'véntе'])('rejects %j', (type) => {
    expect(verdict({ type })).toMatchObject({
      valid: false,
      code: 'invalid_type',
      reason: `invalid type '${type}' (expected vente or location)`,
    });
  });
});

describe('modele', () => {
  it('keeps commas of a quoted modele, trimmed and NFC-normalised', () => {
    expect(verdict({ modele: ' Citroe\u0308n C3, Shine ' })).toMatchObject({ valid: true, modele: 'Citroën C3, Shine' });
  });

  it('rejects a blank modele', () => {
    expect(verdict({ modele: ' \t ' })).toMatchObject({ valid: false, code: 'missing_modele', reason: 'empty modele' });
  });
});

describe('prix', () => {
  it.each([
    ['18990.00', 1899000],
    ['18990', 1899000],
    ['349,9', 34990],
    ['349.90', 34990],
    ['0', 0],
    ['0,00', 0],
    ['007.50', 750],
    ['12 345,67', 1234567],
    ['12\u00a0345,67', 1234567],
    ['1\u202f234\u202f567.8', 123456780],
    ['  42.1  ', 4210],
    ['9999999999999.99', 999999999999999],
  ])('reads %j as %d cents', (prix, cents) => {
    expect(verdict({ prix })).toMatchObject({ valid: true, cents });
  });

  it.each(['12,3,4', '1.234', '1,234.56', '1234 567', '1 23', '12  345', '+5', '-5', '1e3', '.5', '5.', '€ 5', '5 €', '', 'abc', '5..0', '10000000000000', '12 345 6', '1 2345'])(
    'rejects %j',
    (prix) => {
      expect(verdict({ prix })).toEqual({ valid: false, code: 'invalid_prix', reason: `invalid prix '${prix.trim()}'`, line: 2 });
    },
  );
});

describe('duree_location_mois', () => {
  it.each(['', '1', '24', '600', '024', ' 36 '])('accepts %j whatever the type', (duree) => {
    expect(verdict({ duree_location_mois: duree, type: 'vente' })).toMatchObject({ valid: true });
    expect(verdict({ duree_location_mois: duree, type: 'location' })).toMatchObject({ valid: true });
  });

  it.each(['0', '601', '-1', '+12', '12.0', '1e2', 'douze', '1 2', '000'])('rejects %j whatever the type', (duree) => {
    for (const type of ['vente', 'location']) {
      expect(verdict({ duree_location_mois: duree, type })).toEqual({
        valid: false,
        code: 'invalid_duree',
        reason: `invalid duree_location_mois '${duree}'`,
        line: 2,
      });
    }
  });

  it('is optional as a column', () => {
    const partial = aggregate('date,ville,type,modele,prix\n2023-01-01,Paris,vente,Clio,1\n');
    expect(partial.rowsValid).toBe(1);
  });
});

describe('rule order and record-level checks', () => {
  it('reports the first broken rule in column order', () => {
    expect(verdict({ date: 'bad', ville: '', type: 'x', prix: 'y' })).toMatchObject({ code: 'invalid_date' });
    expect(verdict({ ville: '', type: 'x', prix: 'y' })).toMatchObject({ code: 'missing_ville' });
    expect(verdict({ type: 'x', modele: '', prix: 'y' })).toMatchObject({ code: 'invalid_type' });
    expect(verdict({ modele: '', prix: 'y', duree_location_mois: '0' })).toMatchObject({ code: 'missing_modele' });
    expect(verdict({ prix: 'y', duree_location_mois: '0' })).toMatchObject({ code: 'invalid_prix' });
  });

  it('follows the column order whatever order the header gives', () => {
    const partial = aggregate('prix;modele;type;ville;date\nbad;;x;;2023-02-30\n');
    expect(partial.samples).toEqual([{ line: 2, reason: "invalid date '2023-02-30'" }]);
  });

  it('rejects a row with the wrong number of fields, a line of blanks included', () => {
    const partial = aggregate(`${HEADER}\nTX1,2023-01-01,Paris,vente,Clio,1\n   \nTX3,2023-01-01,Paris,vente,Clio,1,,\n`);
    expect(partial.rejectedByReason).toEqual({ field_count: 3 });
    expect(partial.samples).toEqual([
      { line: 2, reason: 'expected 7 fields, found 6' },
      { line: 3, reason: 'expected 7 fields, found 1' },
      { line: 4, reason: 'expected 7 fields, found 8' },
    ]);
  });

  it('rejects a last record whose quote is left open, on the line it starts', () => {
    const partial = aggregate(`${HEADER}\nTX1,2023-01-01,Paris,vente,Clio,1,\nTX2,2023-01-01,Paris,vente,"Clio\nTX3,2023-01-01,Paris,vente,Clio,1,\n`);
    expect(partial.rowsValid).toBe(1);
    // The open quote runs over TX3's line too: each line it spans is a rejected row.
    expect(partial.rejectedByReason).toEqual({ unterminated_quote: 2 });
    expect(partial.samples).toEqual([{ line: 3, reason: 'quoted field left open at the end of the file: its 2 lines are rejected' }]);
  });

  it('cuts a very long value in a sample', () => {
    const prix = '9'.repeat(500);
    const { reason } = verdict({ prix }) as { reason: string };
    expect(reason).toBe(`invalid prix '${'9'.repeat(100)}…'`);
  });

  it('escapes, in a sample, every character that would not print as itself: controls, bidi overrides, zero-width', () => {
    // A right-to-left override would display the rest of the message reversed; a zero-width space hides in it.
    expect(verdict({ type: '\u202eetnev' })).toMatchObject({ code: 'invalid_type', reason: "invalid type '\\u202eetnev' (expected vente or location)" });
    expect(verdict({ prix: '1\u200b2' })).toMatchObject({ code: 'invalid_prix', reason: "invalid prix '1\\u200b2'" });
    expect(verdict({ prix: '1\u2066x\u2069\u00ad' })).toMatchObject({ reason: "invalid prix '1\\u2066x\\u2069\\xad'" });
    expect(verdict({ prix: '1\u{e0041}' })).toMatchObject({ reason: "invalid prix '1\\u{e0041}'" });
    expect(verdict({ prix: '5\u001b[31m' })).toMatchObject({ reason: "invalid prix '5\\x1b[31m'" });
    // Letters of any script, accents and emoji print as themselves.
    expect(verdict({ type: 'ventée 🚗 北京' })).toMatchObject({ reason: "invalid type 'ventée 🚗 北京' (expected vente or location)" });
  });

  it('keeps the samples with the 20 smallest line numbers, counts every reject', () => {
    const rows = Array.from({ length: 50 }, (_, i) => `TX${i},2023-01-${i % 2 === 0 ? '01' : '99'},Paris,vente,Clio,1,`);
    const partial = aggregate(`${HEADER}\n${rows.join('\n')}\n`);
    expect(partial.rowsValid).toBe(25);
    expect(partial.rowsRejected).toBe(25);
    expect(partial.samples).toHaveLength(20);
    expect(partial.samples.map((s) => s.line)).toEqual(Array.from({ length: 20 }, (_, i) => 3 + 2 * i));
  });
});
