import { describe, expect, it } from '@jest/globals';
import { compareResults, type ComparedMetrics } from '../src/compare-results.js';

function sample(): ComparedMetrics {
  return {
    villes: ['Lyon', 'Paris'],
    ca_mensuel: { Lyon: { '2023-01': 100.5 }, Paris: { '2023-01': 10, '2023-02': 20.25 } },
    repartition: { Lyon: { vente: 1, location: 0 }, Paris: { vente: 1, location: 1 } },
    top_modeles: {
      Lyon: [{ modele: 'Peugeot 208', transactions: 1, ventes: 1, locations: 0, ca: 100.5 }],
      Paris: [
        { modele: 'Dacia Sandero', transactions: 1, ventes: 1, locations: 0, ca: 10 },
        { modele: 'Renault Clio', transactions: 1, ventes: 0, locations: 1, ca: 20.25 },
      ],
    },
    rows_valid: 3,
  };
}

describe('compareResults', () => {
  it('finds nothing between equal readings', () => {
    expect(compareResults(sample(), sample())).toEqual([]);
  });

  it('names a cent of difference in a month', () => {
    const other = sample();
    other.ca_mensuel.Paris['2023-02'] = 20.26;
    expect(compareResults(sample(), other)).toEqual(['ca_mensuel[Paris]: expected {"2023-01":10,"2023-02":20.25}, got {"2023-01":10,"2023-02":20.26}']);
  });

  it('sees months out of order, a swapped ranking and a missing city', () => {
    const other = sample();
    other.ca_mensuel.Paris = { '2023-02': 20.25, '2023-01': 10 };
    other.top_modeles.Paris.reverse();
    delete other.repartition.Lyon;
    const differences = compareResults(sample(), other);
    expect(differences.map((d) => d.split(':')[0])).toEqual(['ca_mensuel[Paris]', 'repartition[Lyon]', 'top_modeles[Paris]']);
  });

  it('compares villes and the count of valid rows', () => {
    const other = sample();
    other.villes = ['Paris', 'Lyon'];
    other.rows_valid = 4;
    expect(compareResults(sample(), other).map((d) => d.split(':')[0])).toEqual(['rows_valid', 'villes']);
  });
});
