// The way a first attempt is written: fast-csv rows as objects keyed by the header, a few checks, Maps.
// It applies the rules a clean file needs (trim, type case, 2-decimal prix in cents), not the whole contract.
import { createReadStream } from 'node:fs';
import { parse } from 'fast-csv';
import type { ComparedMetrics } from '../compare-results.js';
import { countTransaction, metricsFromTotals, type CityTotals } from './city-totals.js';

type Row = Record<string, string>;

export function naiveFastCsv(path: string): Promise<ComparedMetrics> {
  return new Promise((resolve, reject) => {
    const cities = new Map<string, CityTotals>();
    let rowsValid = 0;
    createReadStream(path)
      .on('error', reject)
      .pipe(parse<Row, Row>({ headers: (names) => names.map((name) => name?.trim().toLowerCase()), trim: true }))
      .on('error', reject)
      .on('data', (row: Row) => {
        const type = row.type.toLowerCase();
        const cents = Math.round(parseFloat(row.prix) * 100);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(row.date) || !row.ville || !row.modele || Number.isNaN(cents)) return;
        if (type !== 'vente' && type !== 'location') return;
        rowsValid++;
        countTransaction(cities, { ville: row.ville, month: row.date.slice(0, 7), modele: row.modele, type, cents });
      })
      .on('end', () => resolve(metricsFromTotals(cities, rowsValid)));
  });
}
