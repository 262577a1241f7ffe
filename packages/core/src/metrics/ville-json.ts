// A ville's partial metrics as the pipeline stores them between the map and the reduce: a compact JSON array —
// [vente, location, [month, cents, …], [modele, ventes, locations, cents, …]], months ascending and modeles in
// code-point order — which parses faster than objects and takes half the room.
import type { VillePartial, ModeleCounts } from '../types.js';
import { dataRecord } from './data-record.js';

export type CompactVille = [number, number, Array<string | number>, Array<string | number>];

export function serialiseVille(partial: VillePartial): string {
  const months: Array<string | number> = [];
  for (const month of Object.keys(partial.months)) months.push(month, partial.months[month]);
  const modeles: Array<string | number> = [];
  for (const modele of Object.keys(partial.modeles)) {
    const m = partial.modeles[modele];
    modeles.push(modele, m.ventes, m.locations, m.caCents);
  }
  const compact: CompactVille = [partial.vente, partial.location, months, modeles];
  return JSON.stringify(compact);
}

/** Read back into null-prototype records, so a modele named `__proto__` or `constructor` stays data. */
export function parseVille(json: string | Buffer): VillePartial {
  const [vente, location, monthList, modeleList] = JSON.parse(String(json)) as CompactVille;
  const months = dataRecord<number>();
  for (let i = 0; i < monthList.length; i += 2) months[monthList[i] as string] = monthList[i + 1] as number;
  const modeles = dataRecord<ModeleCounts>();
  for (let i = 0; i < modeleList.length; i += 4) {
    const ventes = modeleList[i + 1] as number;
    const locations = modeleList[i + 2] as number;
    modeles[modeleList[i] as string] = { transactions: ventes + locations, ventes, locations, caCents: modeleList[i + 3] as number };
  }
  return { months, vente, location, modeles };
}
