import { describe, expect, it } from '@jest/globals';
import { finalise, emptyPartial, type PartialMetrics } from '@autoconnect/core';
import { countTransaction, metricsFromTotals, type CityTotals } from '../src/methods/city-totals.js';

describe('metricsFromTotals', () => {
  it('presents totals as the core does: French collation, months ascending, models by count then code point', () => {
    const cities = new Map<string, CityTotals>();
    const rows: Array<[string, string, string, 'vente' | 'location', number]> = [
      ['Évreux', '2023-02', 'Zoé', 'vente', 1_000],
      ['Évreux', '2023-01', 'Ami', 'location', 250],
      ['Dijon', '2023-03', 'Clio', 'vente', 99],
      ['Grenoble', '2023-01', 'Clio', 'location', 1],
      ['Grenoble', '2023-01', 'Clio', 'vente', 2],
      ['Grenoble', '2022-12', 'Austral', 'vente', 3],
    ];
    const partial: PartialMetrics = emptyPartial();
    for (const [ville, month, modele, type, cents] of rows) {
      countTransaction(cities, { ville, month, modele, type, cents });
      partial.rowsValid++;
      const p = (partial.villes[ville] ??= { months: {}, vente: 0, location: 0, modeles: {} });
      p.months[month] = (p.months[month] ?? 0) + cents;
      const m = (p.modeles[modele] ??= { transactions: 0, ventes: 0, locations: 0, caCents: 0 });
      m.transactions++;
      m.caCents += cents;
      if (type === 'vente') {
        p.vente++;
        m.ventes++;
      } else {
        p.location++;
        m.locations++;
      }
    }
    const metrics = metricsFromTotals(cities, rows.length);
    const { rows_rejected: _rejected, distinct_modeles: _distinct, ...core } = finalise(partial);
    expect(metrics.villes).toEqual(['Dijon', 'Évreux', 'Grenoble']);
    expect(Object.keys(metrics.ca_mensuel.Grenoble)).toEqual(['2022-12', '2023-01']);
    expect(metrics.top_modeles['Évreux'].map((m) => m.modele)).toEqual(['Ami', 'Zoé']);
    expect(JSON.stringify(metrics)).toBe(JSON.stringify(core));
  });
});
