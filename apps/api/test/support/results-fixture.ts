// Published results written by hand, small enough to check every endpoint against by eye: three cities,
// one of them accented, a month one city lacks, tied models, and more models than the default limit.
import type { Results, TopModele } from '@autoconnect/core';

function model(modele: string, ventes: number, locations: number, ca: number): TopModele {
  return { modele, transactions: ventes + locations, ventes, locations, ca };
}

export function resultsFixture(): Results {
  return {
    villes: ['Lyon', 'Paris', 'Saint-Étienne'],
    ca_mensuel: {
      Lyon: { '2023-01': 1200.5, '2023-03': 349.9 },
      Paris: { '2023-01': 123456.78, '2023-02': 98765.4 },
      'Saint-Étienne': { '2023-02': 15000 },
    },
    repartition: {
      Lyon: { vente: 1, location: 2 },
      Paris: { vente: 812, location: 540 },
      'Saint-Étienne': { vente: 1, location: 0 },
    },
    top_modeles: {
      Lyon: [model('Renault Clio', 1, 2, 1550.4)],
      Paris: [
        model('Peugeot 208', 90, 50, 1523400.5),
        model('Renault Clio', 60, 40, 300000),
        model('Citroën C3', 50, 50, 250000.25),
        model('Tesla Model 3', 70, 30, 400000),
        model('Dacia Sandero', 40, 20, 150000),
        model('Fiat 500', 30, 10, 90000),
        model('Toyota Yaris', 10, 5, 45000.1),
      ].sort((a, b) => b.transactions - a.transactions || (a.modele < b.modele ? -1 : a.modele > b.modele ? 1 : 0)),
      'Saint-Étienne': [model('Peugeot 3008', 1, 0, 15000)],
    },
    rows_valid: 1352 + 3 + 1,
    rows_rejected: 2,
  };
}
