import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  AmountOverflowError,
  centsToEuros,
  checkRejectRatio,
  emptyPartial,
  finalise,
  matchVille,
  NoDataRowsError,
  percentages,
  TooManyRejectsError,
  type PartialMetrics,
} from '../src/index.js';
import { aggregate, HEADER } from './support/scan.js';

const csv = (...rows: string[]): string => `${HEADER}\n${rows.join('\n')}\n`;

describe('finalise', () => {
  it('sums money exactly in cents and prints at most 2 decimals', () => {
    const rows = Array.from({ length: 10 }, (_, i) => `T${i},2023-01-0${1 + (i % 9)},Paris,vente,Clio,0.10,`);
    rows.push('T10,2023-01-05,Paris,vente,Clio,0.20,', 'T11,2023-02-01,Paris,vente,Zoe,1234.05,', 'T12,2023-02-02,Paris,location,Zoe,0.01,1');
    const results = finalise(aggregate(csv(...rows)));
    expect(results.ca_mensuel.Paris).toEqual({ '2023-01': 1.2, '2023-02': 1234.06 });
    expect(JSON.stringify(results.ca_mensuel)).toBe('{"Paris":{"2023-01":1.2,"2023-02":1234.06}}');
    expect(results.top_modeles.Paris).toEqual([
      { modele: 'Clio', transactions: 11, ventes: 11, locations: 0, ca: 1.2 },
      { modele: 'Zoe', transactions: 2, ventes: 1, locations: 1, ca: 1234.06 },
    ]);
  });

  it('never prints float drift: any sum of cents prints as its exact 2-decimal text', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 99_999_999_999 }), { maxLength: 50 }), (amounts) => {
        const cents = amounts.reduce((sum, x) => sum + x, 0);
        const exact = `${BigInt(cents) / 100n}.${String(BigInt(cents) % 100n).padStart(2, '0')}`.replace(/\.?0+$/, '');
        expect(JSON.stringify(centsToEuros(cents))).toBe(exact === '' ? '0' : exact);
      }),
    );
    expect(JSON.stringify(centsToEuros(30))).toBe('0.3');
    expect(JSON.stringify(centsToEuros(999_999_999_999_999))).toBe('9999999999999.99');
  });

  it('lists only months with rows, ascending, a month of 0 € included', () => {
    const results = finalise(
      aggregate(csv('T1,2024-03-01,Lyon,vente,A,5,', 'T2,2023-11-30,Lyon,vente,A,1,', 'T3,2023-01-15,Lyon,location,A,0,3', 'T4,2023-11-01,Paris,vente,A,1,')),
    );
    expect(Object.keys(results.ca_mensuel.Lyon)).toEqual(['2023-01', '2023-11', '2024-03']);
    expect(results.ca_mensuel.Lyon['2023-01']).toBe(0);
    expect(Object.keys(results.ca_mensuel.Paris)).toEqual(['2023-11']);
  });

  it('counts vente and location, both keys always present', () => {
    const results = finalise(aggregate(csv('T1,2023-01-01,Lyon,vente,A,5,', 'T2,2023-01-01,Nice,location,A,5,12')));
    expect(results.repartition).toEqual({ Lyon: { vente: 1, location: 0 }, Nice: { vente: 0, location: 1 } });
  });

  it('ranks models by transactions, ties in code-point order (not locale, not UTF-16 units)', () => {
    const names = ['b', 'B', 'a', 'É', 'E', '\u{1F697}', '\uFB01', 'Zoe'];
    const rows = names.map((modele, i) => `T${i},2023-01-01,Paris,vente,${modele},1,`);
    rows.push('T9,2023-01-01,Paris,location,Zoe,1,6', 'T10,2023-01-01,Paris,vente,a,1,');
    const ranking = finalise(aggregate(csv(...rows))).top_modeles.Paris.map((m) => m.modele);
    expect(ranking).toEqual(['Zoe', 'a', 'B', 'E', 'b', 'É', '\uFB01', '\u{1F697}']);
  });

  it('sorts villes with French collation', () => {
    const villes = ['Paris', 'Évreux', 'Saint-Étienne', 'Amiens', 'saint-denis', 'Étampes', 'Zürich', 'Orléans'];
    const rows = villes.map((ville, i) => `T${i},2023-01-01,${ville},vente,A,1,`);
    expect(finalise(aggregate(csv(...rows))).villes).toEqual(['Amiens', 'Étampes', 'Évreux', 'Orléans', 'Paris', 'saint-denis', 'Saint-Étienne', 'Zürich']);
  });

  it('keeps `__proto__` and `constructor` as plain data', () => {
    const results = finalise(aggregate(csv('T1,2023-01-01,__proto__,vente,constructor,1,', 'T2,2023-01-01,toString,vente,__proto__,2,')));
    expect(results.villes).toEqual(['__proto__', 'toString']);
    expect(results.repartition['__proto__']).toEqual({ vente: 1, location: 0 });
    expect(JSON.parse(JSON.stringify(results)).top_modeles.toString[0].modele).toBe('__proto__');
  });

  it('carries the row counts', () => {
    const results = finalise(aggregate(csv('T1,2023-01-01,Lyon,vente,A,5,', 'T2,bad,Lyon,vente,A,5,')));
    expect(results.rows_valid).toBe(1);
    expect(results.rows_rejected).toBe(1);
  });

  it('fails rather than publish a sum of cents past 2^53', () => {
    const rows = Array.from({ length: 10 }, (_, i) => `T${i},2023-01-01,Paris,vente,A,9999999999999.99,`);
    expect(() => finalise(aggregate(csv(...rows.slice(0, 9))))).not.toThrow();
    expect(() => finalise(aggregate(csv(...rows)))).toThrow(AmountOverflowError);
  });

  it('finalises an empty partial to empty results', () => {
    expect(finalise(emptyPartial())).toEqual({ villes: [], ca_mensuel: {}, repartition: {}, top_modeles: {}, distinct_modeles: {}, rows_valid: 0, rows_rejected: 0 });
  });
});

describe('months far apart', () => {
  it('are each summed and listed in order, however far from the first row they are', () => {
    const dates = ['2023-01-15', '0001-03-01', '9999-12-31', '1850-06-01', '2023-01-20', '1850-06-02', '1973-01-01', '2073-12-01', '0000-01-01'];
    const partial = aggregate(csv(...dates.map((date, i) => `T${i},${date},Paris,vente,A,${i + 1},`)));
    expect(partial.villes.Paris.months).toEqual({
      '0000-01': 900,
      '0001-03': 200,
      '1850-06': 1000,
      '1973-01': 700,
      '2023-01': 600,
      '2073-12': 800,
      '9999-12': 300,
    });
    expect(Object.keys(finalise(partial).ca_mensuel.Paris)).toEqual(['0000-01', '0001-03', '1850-06', '1973-01', '2023-01', '2073-12', '9999-12']);
  });
});

describe('percentages', () => {
  it.each([
    [1, 7, 12.5, 87.5],
    [1, 2, 33.33, 66.67],
    [2, 1, 66.67, 33.33],
    [812, 540, 60.06, 39.94],
    [1, 0, 100, 0],
    [0, 3, 0, 100],
    // 100·1/1600 = 0.0625 → 0.06; 100·1/16 = 6.25 exactly; 100·1/80000 = 0.00125 → 0
    [1, 1599, 0.06, 99.94],
    [1, 15, 6.25, 93.75],
    [1, 79999, 0, 100],
    // ties at exactly .xx5 go away from zero; below them, down
    [1, 39999, 0, 100], // 0.0025 → 0
    [1, 199, 0.5, 99.5],
    [1, 799, 0.13, 99.87], // 0.125 → 0.13 (a float computation gives 0.12 or 0.13 depending on luck)
    [3, 797, 0.38, 99.62], // 0.375 → 0.38
    [7, 793, 0.88, 99.12], // 0.875 → 0.88
    [0, 0, 0, 0],
  ])('vente %d, location %d → %d %% / %d %%', (vente, location, pv, pl) => {
    expect(percentages({ vente, location })).toEqual({ vente: pv, location: pl });
  });

  it('always adds up to 100 and matches exact rational rounding', () => {
    fc.assert(
      fc.property(fc.nat(5_000_000), fc.nat(5_000_000), (vente, location) => {
        fc.pre(vente + location > 0);
        const p = percentages({ vente, location });
        const total = BigInt(vente + location);
        const exact = (20000n * BigInt(vente) + total) / (2n * total); // round half up of 10000·v/t
        expect(Math.round(p.vente * 100)).toBe(Number(exact));
        expect(Math.round((p.vente + p.location) * 100)).toBe(10000);
        expect(String(p.location)).toMatch(/^\d+(\.\d{1,2})?$/);
        expect(String(p.vente)).toMatch(/^\d+(\.\d{1,2})?$/);
      }),
    );
  });
});

describe('checkRejectRatio', () => {
  const partial = (rowsValid: number, rowsRejected: number): PartialMetrics => ({ ...emptyPartial(), rowsValid, rowsRejected });

  it('passes at the ratio, fails above it', () => {
    expect(() => checkRejectRatio(partial(1, 1), 0.5)).not.toThrow();
    expect(() => checkRejectRatio(partial(1, 2), 0.5)).toThrow(TooManyRejectsError);
    expect(() => checkRejectRatio(partial(1, 2), 0.5)).toThrow('2 of 3 data rows rejected, more than the allowed ratio 0.5');
    expect(() => checkRejectRatio(partial(0, 1), 1)).not.toThrow();
    expect(() => checkRejectRatio(partial(10, 0), 0)).not.toThrow();
  });

  it('fails a run without data rows', () => {
    expect(() => checkRejectRatio(partial(0, 0), 0.5)).toThrow(NoDataRowsError);
  });
});

describe('matchVille', () => {
  const villes = ['Paris', 'Saint-Étienne', 'Évreux', 'PARIS'];

  it('matches exactly first', () => {
    expect(matchVille(villes, 'PARIS')).toBe('PARIS');
    expect(matchVille(villes, 'Paris')).toBe('Paris');
  });

  it('then ignores case and accents', () => {
    expect(matchVille(villes, 'saint-etienne')).toBe('Saint-Étienne');
    expect(matchVille(villes, 'EVREUX')).toBe('Évreux');
    expect(matchVille(villes, 'Saint-E\u0301tienne')).toBe('Saint-Étienne');
    expect(matchVille(villes, 'paris')).toBe('Paris');
  });

  it('ignores blanks around the query, as the data has none around a ville', () => {
    expect(matchVille(villes, ' Paris ')).toBe('Paris');
    expect(matchVille(villes, '\u00a0saint-etienne\t')).toBe('Saint-Étienne');
    expect(matchVille(villes, '  ')).toBeUndefined();
  });

  it('keeps hyphens and spaces significant, and finds nothing for an unknown city', () => {
    expect(matchVille(villes, 'saint etienne')).toBeUndefined();
    expect(matchVille(villes, 'Lyon')).toBeUndefined();
    expect(matchVille([], 'Paris')).toBeUndefined();
  });
});
