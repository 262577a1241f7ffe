// The cardinality files of the scale-out issue, made once and kept under bench/.cache/: a ville column of ids
// (100,000 distinct villes in 300,000 rows) and a modele column of ids (1,000,000 distinct models in one ville).
import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const CACHE_DIR = fileURLToPath(new URL('../.cache/', import.meta.url));
const HEADER = 'transaction_id,date,ville,type,modele,prix,duree_location_mois\n';

export type CardinalityFile = 'villes' | 'modeles';

const SPECS: Record<CardinalityFile, { name: string; rows: number; line: (i: number) => string }> = {
  villes: { name: 'cardinality-villes-100k.csv', rows: 300_000, line: (i) => `T${i},2023-0${1 + (i % 9)}-15,Ville ${i % 100_000},vente,Clio,${1000 + (i % 997)}.50,\n` },
  modeles: { name: 'cardinality-modeles-1m.csv', rows: 1_000_000, line: (i) => `T${i},2023-0${1 + (i % 9)}-15,Paris,vente,Modèle ${i},${1000 + (i % 997)}.50,\n` },
};

/** The file's path inside bench/.cache/ (its folder is the DATA_DIR of the runs), made if missing. */
export async function cardinalityFile(kind: CardinalityFile): Promise<string> {
  const spec = SPECS[kind];
  const path = join(CACHE_DIR, spec.name);
  if (await stat(path).then((s) => s.isFile(), () => false)) return path;
  await mkdir(CACHE_DIR, { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  const out = createWriteStream(partial);
  out.write(HEADER);
  let block = '';
  for (let i = 0; i < spec.rows; i++) {
    block += spec.line(i);
    if (block.length > 1 << 20) {
      if (!out.write(block)) await once(out, 'drain');
      block = '';
    }
  }
  out.end(block);
  await once(out, 'finish');
  await rename(partial, path);
  return path;
}
