// A role's start-up exercise: the map step over a made-up file in the shape of a real export, cut into ranges
// as a run is, so that V8 has compiled the hot paths before the first real range arrives. A fresh process
// otherwise runs them several times slower at first, and the first run after a start pays for it.
import { readFileHeader } from './csv/header-reader.js';
import { MetricsMerger } from './metrics/metrics-merger.js';
import { RangeMapper } from './range-mapper.js';
import type { PartialMetrics } from './types.js';

export interface WarmUpOutcome {
  ranges: number;
  rowsValid: number;
  rowsRejected: number;
}

const CITIES = ['Paris', 'Lyon', 'Marseille', 'Nîmes', 'Orléans', 'Besançon', 'Saint-Étienne', 'Nantes'];
const MODELES = ['Peugeot 208', 'Renault Clio', 'Citroën C3', 'Škoda Octavia', 'Volkswagen Golf', 'Audi A3 Sportback', 'Mercedes Classe A'];
const QUOTED_MODELES = ['"Peugeot 308 SW, GT Line"', '"Mini Cooper ""Edition 60"", cabriolet"'];
/** Rows the map step rejects (a day that does not exist, an unknown type, a negative prix). */
const BAD_ROWS = [',2023-02-30,Lyon,vente,Renault Clio,100.00,', ',2023-03-01,Lyon,achat,Renault Clio,100.00,', ',2023-03-01,Lyon,vente,Renault Clio,-5,'];

const WARM_UP_ROWS = 60_000;
const BLOCK_ROWS = 2_000;
const RANGE_BYTES = 512 * 1024;
const PIECE_BYTES = 64 * 1024;

/**
 * The made-up file warmUp maps: `rows` rows (villes and modeles with accents, a quoted modele one row in twenty,
 * sales and rentals, a bad row now and then). Deterministic.
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
    const modele = next(20) === 0 ? QUOTED_MODELES[next(QUOTED_MODELES.length)] : MODELES[next(MODELES.length)];
    const rental = next(3) === 0;
    const prix = rental ? `${200 + next(600)}.${String(next(100)).padStart(2, '0')}` : `${10_000 + next(40_000)}.00`;
    block.push(`TX${String(i).padStart(7, '0')},${date},${ville},${rental ? 'location' : 'vente'},${modele},${prix},${rental ? 12 + next(36) : ''}`);
  }
  const header = Buffer.from('transaction_id,date,ville,type,modele,prix,duree_location_mois\n');
  const lines = Buffer.from(`${block.join('\n')}\n`, 'utf8');
  const repeats = Math.max(1, Math.ceil(rows / BLOCK_ROWS));
  const bytes = Buffer.allocUnsafe(header.length + lines.length * repeats);
  header.copy(bytes, 0);
  for (let r = 0; r < repeats; r++) lines.copy(bytes, header.length + r * lines.length);
  return bytes;
}

/** The partial metrics of warmUpBytes(), range by range, each range pushed in pieces as a worker reads it. */
export function warmUpPartials(): PartialMetrics[] {
  const bytes = warmUpBytes();
  const header = readFileHeader(bytes, true)!;
  const layout = header.layouts['utf-8'];
  if (!('layout' in layout)) throw new Error(layout.error);
  const partials: PartialMetrics[] = [];
  for (let start = header.dataStart; start < bytes.length; start += RANGE_BYTES) {
    const end = Math.min(bytes.length, start + RANGE_BYTES);
    const mapper = new RangeMapper({ layout: layout.layout, encoding: 'utf-8', start, end, startsAtRecord: start === header.dataStart });
    for (let at = mapper.readFrom; !mapper.done && at < bytes.length; at += PIECE_BYTES) mapper.push(bytes.subarray(at, Math.min(bytes.length, at + PIECE_BYTES)));
    mapper.end();
    partials.push(mapper.outcome().partial);
  }
  return partials;
}

/**
 * Maps warmUpBytes() range by range and merges the partials, as the workers and the aggregator do; returns what
 * it counted, so that nothing is optimised away.
 */
export function warmUp(): WarmUpOutcome {
  const merger = new MetricsMerger();
  const partials = warmUpPartials();
  for (const partial of partials) merger.addPartial(partial);
  return { ranges: partials.length, rowsValid: merger.rowsValid, rowsRejected: merger.rowsRejected };
}
