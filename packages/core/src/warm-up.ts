// A role's start-up exercise: the split and the map step over a made-up file in the shape of a real export,
// so that V8 has compiled their hot paths before the first real chunk arrives. A fresh process otherwise runs
// them several times slower at first (in a 10 M-row run, a worker's first 2.2 MB chunk took 108-142 ms to map,
// its second 31-70 ms, the rest 17-20 ms; the split is slowed likewise), and the first run after a start paid
// about a CPU second for it. The exercise takes a fraction of a second at start, before the role takes jobs.
import { CityChunker } from './chunks/city-chunker.js';
import { mapCityChunk } from './chunks/map-city-chunk.js';
import { emptyPartial, mergePartials } from './metrics/partial-metrics.js';

export interface WarmUpOutcome {
  chunks: number;
  rowsValid: number;
  rowsRejected: number;
}

const CITIES = ['Paris', 'Lyon', 'Marseille', 'Nîmes', 'Orléans', 'Besançon', 'Saint-Étienne', 'Nantes'];
const MODELS = ['Peugeot 208', 'Renault Clio', 'Citroën C3', 'Škoda Octavia', 'Volkswagen Golf', 'Audi A3 Sportback', 'Mercedes Classe A'];
const QUOTED_MODELS = ['"Peugeot 308 SW, GT Line"', '"Mini Cooper ""Edition 60"", cabriolet"'];
/** Rows the map step rejects (a day that does not exist, an unknown type, a negative prix). */
const BAD_ROWS = [',2023-02-30,Lyon,vente,Renault Clio,100.00,', ',2023-03-01,Lyon,achat,Renault Clio,100.00,', ',2023-03-01,Lyon,vente,Renault Clio,-5,'];

const WARM_UP_ROWS = 60_000;
const BLOCK_ROWS = 2_000;
const PIECE_BYTES = 1 << 20;

/**
 * The made-up file warmUp splits and maps: `rows` rows (cities and models with accents, a quoted model one row in
 * twenty, sales and rentals, a bad row now and then). Deterministic.
 */
export function warmUpBytes(rows = WARM_UP_ROWS): Buffer {
  // A block of made-up lines, repeated: building every line as a string would cost more than the work itself.
  const block: string[] = [];
  let seed = 7;
  const next = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  for (let i = 0; i < BLOCK_ROWS; i++) {
    const ville = CITIES[next(CITIES.length)];
    if (i % 97 === 96) {
      block.push(`TX${i}${BAD_ROWS[next(BAD_ROWS.length)].replace('Lyon', ville)}`);
      continue;
    }
    const date = `202${2 + next(3)}-${String(1 + next(12)).padStart(2, '0')}-${String(1 + next(28)).padStart(2, '0')}`;
    const model = next(20) === 0 ? QUOTED_MODELS[next(QUOTED_MODELS.length)] : MODELS[next(MODELS.length)];
    const rental = next(3) === 0;
    const prix = rental ? `${200 + next(600)}.${String(next(100)).padStart(2, '0')}` : `${10_000 + next(40_000)}.00`;
    block.push(`TX${String(i).padStart(7, '0')},${date},${ville},${rental ? 'location' : 'vente'},${model},${prix},${rental ? 12 + next(36) : ''}`);
  }
  const header = Buffer.from('transaction_id,date,ville,type,modele,prix,duree_location_mois\n');
  const lines = Buffer.from(block.join('\n') + '\n', 'utf8');
  const repeats = Math.max(1, Math.ceil(rows / BLOCK_ROWS));
  const bytes = Buffer.allocUnsafe(header.length + lines.length * repeats);
  header.copy(bytes, 0);
  for (let r = 0; r < repeats; r++) lines.copy(bytes, header.length + r * lines.length);
  return bytes;
}

/**
 * Splits warmUpBytes() into chunks of `chunkRows` and maps every chunk, as the orchestrator and the workers do;
 * returns what it counted, so that nothing is optimised away.
 */
export function warmUp(chunkRows = 10_000): WarmUpOutcome {
  const bytes = warmUpBytes();
  const chunker = new CityChunker({ chunkRows, encoding: 'utf-8' });
  // Read in pieces, as a file is, so that records cut between two pieces are handled too.
  const chunks = [];
  for (let at = 0; at < bytes.length; at += PIECE_BYTES) chunks.push(...chunker.push(bytes.subarray(at, at + PIECE_BYTES)));
  chunks.push(...chunker.end());
  let merged = emptyPartial();
  for (const chunk of chunks) {
    merged = mergePartials(merged, mapCityChunk(chunk.data, { layout: chunker.layout!, encoding: 'utf-8' }));
    chunker.release(chunk.data);
  }
  return { chunks: chunks.length, rowsValid: merged.rowsValid, rowsRejected: merged.rowsRejected };
}
