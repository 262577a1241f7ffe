// The generator checked against the contract's reference reading: deterministic bytes, the requested rows,
// realistic proportions, every row valid unless asked otherwise, every kind of invalid row when asked.
import { describe, expect, it } from '@jest/globals';
import { buffer } from 'node:stream/consumers';
import { isReferenceFailure, referenceCompute, type ReferenceOutcome } from '../../core/test/support/reference.js';
import { CAR_MODELS, CITIES, generateTransactions, INVALID_KINDS, type GeneratorOptions } from '../src/index.js';

async function generate(options: GeneratorOptions): Promise<Buffer> {
  return buffer(generateTransactions(options));
}

async function reference(options: GeneratorOptions): Promise<ReferenceOutcome> {
  const result = referenceCompute(await generate(options), { maxRejectRatio: 1 });
  if (isReferenceFailure(result)) throw new Error(result.error);
  return result;
}

const HEADER_LINE = 'transaction_id,date,ville,type,modele,prix,duree_location_mois';

describe('generateTransactions', () => {
  it('gives the same bytes for the same seed, and others for another seed', async () => {
    const a = await generate({ rows: 3000, seed: 7, invalidRatio: 0.1 });
    const b = await generate({ rows: 3000, seed: 7, invalidRatio: 0.1 });
    const c = await generate({ rows: 3000, seed: 8, invalidRatio: 0.1 });
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
    expect(a.subarray(0, HEADER_LINE.length + 1).toString()).toBe(`${HEADER_LINE}\n`);
  });

  it.each<[string, Partial<GeneratorOptions>]>([
    ['default', {}],
    ['invalid rows', { invalidRatio: 0.3 }],
    ['French export', { delimiter: ';', dateFormat: 'fr', crlf: true, invalidRatio: 0.3 }],
    ['BOM', { bom: true, crlf: true }],
    ['Windows-1252', { encoding: 'windows-1252', delimiter: ';', invalidRatio: 0.3 }],
    ['messy', { messyRatio: 0.5, invalidRatio: 0.1 }],
    ['messy French export', { messyRatio: 0.5, delimiter: ';', dateFormat: 'fr', encoding: 'windows-1252' }],
  ])('writes the same bytes with the bulk engine as with fast-csv (%s)', async (_name, options) => {
    const bulk = await generate({ rows: 4000, seed: 3, ...options, engine: 'bulk' });
    const fastCsv = await generate({ rows: 4000, seed: 3, ...options, engine: 'fast-csv' });
    expect(bulk.length).toBeGreaterThan(4000 * 40);
    expect(bulk.equals(fastCsv)).toBe(true);
  });

  it('writes exactly the rows asked for, every one valid when invalidRatio is 0', async () => {
    const bytes = await generate({ rows: 20_000, seed: 42 });
    const text = bytes.toString('utf8');
    const result = referenceCompute(bytes);
    if (isReferenceFailure(result)) throw new Error(result.error);
    expect(result.rowsValid).toBe(20_000);
    expect(result.rowsRejected).toBe(0);
    expect(result.delimiter).toBe(',');
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toContain('"Renault Clio, série limitée"');
    expect(text).toContain('"Alpine A110 ""Légende"""');
    expect(text.split('\n').at(-2)?.startsWith('TX020000,2024-12-')).toBe(true);
    expect((await generate({ rows: 0 })).toString()).toBe(`${HEADER_LINE}\n`);
  });

  it.each<[string, Partial<GeneratorOptions>]>([
    ['French export', { delimiter: ';', dateFormat: 'fr', crlf: true, bom: true }],
    ['Windows-1252', { encoding: 'windows-1252', delimiter: ';' }],
  ])('writes only valid rows in the %s variant', async (_name, options) => {
    const result = await reference({ rows: 5000, seed: 11, ...options });
    expect(result.rowsValid).toBe(5000);
    expect(result.rowsRejected).toBe(0);
    expect(result.delimiter).toBe(';');
    expect(result.encoding).toBe(options.encoding ?? 'utf-8');
    expect(result.results.villes).toContain('Nîmes');
  });

  it('looks like a dealer network: Paris biggest, ≈60/40 sales, every city and model, 2022–2024', async () => {
    const { results } = await reference({ rows: 30_000, seed: 5 });
    const counts = results.villes.map((ville) => results.repartition[ville].vente + results.repartition[ville].location);
    const biggest = results.villes[counts.indexOf(Math.max(...counts))];
    expect(biggest).toBe('Paris');
    expect(Math.max(...counts)).toBeGreaterThan(0.2 * 30_000);
    expect(Math.min(...counts)).toBeGreaterThan(0);
    expect(new Set(results.villes)).toEqual(new Set(CITIES.map((c) => c.name)));

    const ventes = results.villes.reduce((sum, v) => sum + results.repartition[v].vente, 0);
    expect(ventes / 30_000).toBeGreaterThan(0.58);
    expect(ventes / 30_000).toBeLessThan(0.62);

    const models = new Set(results.villes.flatMap((v) => results.top_modeles[v].map((m) => m.modele)));
    expect(models).toEqual(new Set(CAR_MODELS.map((m) => m.name)));
    // Cities have tastes of their own: not every city ranks the same model first.
    expect(new Set(results.villes.map((v) => results.top_modeles[v][0].modele)).size).toBeGreaterThan(1);

    const months = new Set(results.villes.flatMap((v) => Object.keys(results.ca_mensuel[v])));
    expect(months.size).toBe(36);
    expect([...months].sort()[0]).toBe('2022-01');
    expect([...months].sort().at(-1)).toBe('2024-12');

    // Average sale and rent per row, from a model's revenue split: sales 8k–60k €, rents 150–1,200 €.
    for (const ville of results.villes) {
      for (const m of results.top_modeles[ville]) {
        expect(m.ca).toBeGreaterThanOrEqual(m.ventes * 8_000 + m.locations * 150);
        expect(m.ca).toBeLessThanOrEqual(m.ventes * 60_000 + m.locations * 1_200);
      }
    }
  });

  it('mixes in invalid rows of every kind, about invalidRatio of them', async () => {
    const result = await reference({ rows: 14_000, seed: 9, invalidRatio: 0.2 });
    expect(result.rowsValid + result.rowsRejected).toBe(14_000);
    expect(result.rowsRejected / 14_000).toBeGreaterThan(0.18);
    expect(result.rowsRejected / 14_000).toBeLessThan(0.22);
    expect(Object.keys(result.rejectedByReason).sort()).toEqual([...INVALID_KINDS].sort());
    for (const kind of INVALID_KINDS) {
      expect(result.rejectedByReason[kind]).toBeGreaterThan(result.rowsRejected / 7 / 2);
    }
  });

  it.each<[string, Partial<GeneratorOptions>]>([
    ['default', {}],
    ['French export', { delimiter: ';', dateFormat: 'fr', crlf: true }],
    ['Windows-1252', { delimiter: ';', encoding: 'windows-1252' }],
  ])('writes messy rows that count exactly as their clean twins (%s)', async (_name, options) => {
    const base = { rows: 6000, seed: 21, invalidRatio: 0.05, ...options };
    const clean = await reference(base);
    const messyBytes = await generate({ ...base, messyRatio: 0.6 });
    const messy = referenceCompute(messyBytes);
    if (isReferenceFailure(messy)) throw new Error(messy.error);
    expect(messyBytes.equals(await generate(base))).toBe(false);
    expect(messy.results).toEqual(clean.results);
    expect(messy.rejectedByReason).toEqual(clean.rejectedByReason);
    expect(messy.samples.map((s) => s.line)).toEqual(clean.samples.map((s) => s.line));
  });

  it('writes each messy form: type casing, padding, decomposed accents, grouped thousands, other date format', async () => {
    const text = (await generate({ rows: 4000, seed: 2, messyRatio: 0.5 })).toString('utf8');
    expect(text).toMatch(/,(Vente|VENTE|Location|LOCATION),/);
    expect(text).toMatch(/, [A-Z][^,]* ,/);
    expect(text).toMatch(/[a-z][\u0300-\u036f]/); // a decomposed accent
    expect(text).toMatch(/,[0-9]{1,2}[ \u00a0\u202f][0-9]{3}\.[0-9]{2},/);
    expect(text).toMatch(/,[0-9]{2}\/[0-9]{2}\/202[234],/);
  });

  it('writes the decimal comma and French dates of an Excel export when asked', async () => {
    const text = (await generate({ rows: 50, seed: 1, delimiter: ';', dateFormat: 'fr', crlf: true })).toString();
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(HEADER_LINE.replaceAll(',', ';'));
    expect(lines[1]).toMatch(/^TX000001;[0-9]{2}\/01\/2022;[^;]+;(vente|location);.+;[0-9]+,[0-9]{2};[0-9]*$/);
    expect(lines.at(-1)).toBe('');
  });

  it('produces a huge file lazily: the first chunk comes before the rest is made', async () => {
    const stream = generateTransactions({ rows: 100_000_000, seed: 1 });
    const iterator = stream[Symbol.asyncIterator]();
    const first = (await iterator.next()).value as Buffer;
    expect(first.subarray(0, HEADER_LINE.length).toString()).toBe(HEADER_LINE);
    stream.destroy();
  });

  it('rejects bad options before producing anything', () => {
    expect(() => generateTransactions({ rows: -1 })).toThrow(/rows/);
    expect(() => generateTransactions({ rows: 10, invalidRatio: 2 })).toThrow(/invalidRatio/);
    expect(() => generateTransactions({ rows: 10, messyRatio: -0.1 })).toThrow(/messyRatio/);
    expect(() => generateTransactions({ rows: 10, bom: true, encoding: 'windows-1252' })).toThrow(/utf-8/);
  });
});
