// Local speed check of the core (not a test): rows/s of CsvAggregator and of CityChunker (+ mapCityChunk)
// on a synthetic transactions file. Usage: pnpm build, then node scripts/measure-speed.mjs [rows] [file]
import { closeSync, existsSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { CityChunker, CsvAggregator, mapCityChunk, mergePartials, emptyPartial, finalise, Utf8Checker } from '../dist/index.js';

const rows = Number(process.argv[2] ?? 10_000_000);
const file = process.argv[3] ?? `/tmp/autoconnect-core-speed-${rows}.csv`;

const cities = ['Paris', 'Lyon', 'Marseille', 'Toulouse', 'Nice', 'Nantes', 'Strasbourg', 'Montpellier', 'Bordeaux', 'Lille',
  'Rennes', 'Reims', 'Le Havre', 'Saint-Étienne', 'Toulon', 'Grenoble', 'Dijon', 'Angers', 'Nîmes', 'Évreux'];
const brands = ['Peugeot', 'Renault', 'Citroën', 'Dacia', 'Toyota', 'Volkswagen', 'BMW', 'Tesla'];
const models = brands.flatMap((brand) => ['A1', '208', 'Clio', 'Model 3', 'Golf'].map((m) => `${brand} ${m}`));

function synthesise() {
  let seed = 42;
  const random = (n) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const fd = openSync(file, 'w');
  writeSync(fd, 'transaction_id,date,ville,type,modele,prix,duree_location_mois\n');
  let block = '';
  for (let i = 1; i <= rows; i++) {
    const vente = random(3) !== 0;
    const month = String(1 + random(12)).padStart(2, '0');
    const day = String(1 + random(28)).padStart(2, '0');
    const prix = vente ? `${8000 + random(40000)}.${String(random(100)).padStart(2, '0')}` : `${150 + random(600)}.${random(10)}0`;
    block += `TX${i},202${random(4)}-${month}-${day},${cities[random(cities.length)]},${vente ? 'vente' : 'location'},${models[random(models.length)]},${prix},${vente ? '' : 12 * (1 + random(4))}\n`;
    if (i % 100_000 === 0) {
      writeSync(fd, block);
      block = '';
    }
  }
  writeSync(fd, block);
  closeSync(fd);
}

/** Wall time can hide contention from other processes on the machine: report this process's CPU time too. */
function timed(label, work) {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const result = work();
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const wallSeconds = (performance.now() - wall) / 1000;
  console.log(`${label.padEnd(22)} ${(rows / wallSeconds / 1e6).toFixed(2)} M rows/s wall, ${(rows / cpuSeconds / 1e6).toFixed(2)} M rows/CPU-s`);
  return result;
}

function readAll(onBytes) {
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    onBytes(buf.subarray(0, n));
  }
  closeSync(fd);
}

if (!existsSync(file)) synthesise();
const size = statSync(file).size;
console.log(`${file}: ${rows} rows, ${(size / 1e6).toFixed(0)} MB, ${(size / rows).toFixed(1)} bytes/row`);

timed('read only:', () => readAll(() => {}));

timed('Utf8Checker pre-pass:', () => {
  const checker = new Utf8Checker();
  readAll((bytes) => checker.push(bytes));
  return checker.end();
});

const partial = timed('CsvAggregator:', () => {
  const aggregator = new CsvAggregator();
  readAll((bytes) => aggregator.push(bytes));
  return aggregator.end();
});
console.log(`  ${partial.rowsValid} valid, ${partial.rowsRejected} rejected`);

const chunker = new CityChunker({ chunkRows: 50_000, encoding: 'utf-8' });
const chunks = timed('CityChunker:', () => {
  const out = [];
  readAll((bytes) => out.push(...chunker.push(bytes)));
  out.push(...chunker.end());
  return out;
});

const merged = timed('mapCityChunk + merge:', () => {
  let sum = emptyPartial();
  for (const chunk of chunks) sum = mergePartials(sum, mapCityChunk(chunk.data, { layout: chunker.layout, encoding: 'utf-8' }));
  return sum;
});
console.log(`same results: ${JSON.stringify(finalise(merged)) === JSON.stringify(finalise(partial))}`);
