// Small hand-written Results for publishing tests (any valid shape will do; the numbers identify the run).
import type { Results } from '@autoconnect/core';

export function resultsFixture(rowsValid: number): Results {
  return {
    villes: ['Lyon', 'Paris'],
    ca_mensuel: { Lyon: { '2023-01': 349.9 }, Paris: { '2023-01': 18990 } },
    repartition: { Lyon: { vente: 0, location: 1 }, Paris: { vente: rowsValid - 1, location: 0 } },
    top_modeles: {
      Lyon: [{ modele: 'Renault Clio', transactions: 1, ventes: 0, locations: 1, ca: 349.9 }],
      Paris: [{ modele: 'Peugeot 208', transactions: rowsValid - 1, ventes: rowsValid - 1, locations: 0, ca: 18990 }],
    },
    rows_valid: rowsValid,
    rows_rejected: 0,
  };
}
