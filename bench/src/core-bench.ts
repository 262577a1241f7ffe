// `pnpm bench:core [-- --rows N] [--seed S]`: rows/s of the core's CsvAggregator (parse + validate +
// aggregate, one thread) next to fast-csv's parser on the same file, and the ratio, in one run.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CsvAggregator, type PartialMetrics } from '@autoconnect/core';
import { parse } from 'fast-csv';
import { cachedTransactionsFile } from './cached-transactions-file.js';

const READ_CHUNK = 1024 * 1024;

interface Measurement {
  label: string;
  rows: number;
  seconds: number;
}

async function readOnly(path: string): Promise<number> {
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK })) bytes += (chunk as Buffer).length;
  return bytes;
}

/** The core's single-process path: the generated file is UTF-8, so no encoding check is timed. */
async function coreAggregate(path: string): Promise<PartialMetrics> {
  const aggregator = new CsvAggregator({ encoding: 'utf-8' });
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK })) aggregator.push(chunk as Buffer);
  return aggregator.end();
}

/** fast-csv's parser with the least aggregation that uses every row: rows per city and the sum of prix. */
function fastCsvAggregate(path: string): Promise<{ rows: number; cities: number; cents: number }> {
  return new Promise((resolve, reject) => {
    const rowsByCity = new Map<string, number>();
    let rows = -1; // the header
    let cents = 0;
    createReadStream(path, { highWaterMark: READ_CHUNK })
      .on('error', reject)
      .pipe(parse<string[], string[]>({ headers: false }))
      .on('error', reject)
      .on('data', (row: string[]) => {
        rows++;
        if (rows === 0) return;
        rowsByCity.set(row[2], (rowsByCity.get(row[2]) ?? 0) + 1);
        cents += Math.round(Number(row[5]) * 100);
      })
      .on('end', () => resolve({ rows, cities: rowsByCity.size, cents }));
  });
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - started) / 1000 };
}

function report(m: Measurement, bytes: number): string {
  const rate = m.rows / m.seconds;
  return (
    `  ${m.label.padEnd(58)} ${m.seconds.toFixed(2).padStart(7)} s  ` +
    `${(rate / 1e6).toFixed(2).padStart(6)} M rows/s  ${(bytes / 1e6 / m.seconds).toFixed(0).padStart(5)} MB/s`
  );
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { values } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: { rows: { type: 'string', default: '10000000' }, seed: { type: 'string', default: '42' } },
  });
  const rows = Number(values.rows);
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(rows) || rows < 1) throw new Error(`--rows must be a positive integer, got '${values.rows}'`);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer, got '${values.seed}'`);

  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const path = await cachedTransactionsFile(rows, seed, log);
  const { size } = await stat(path);
  log(`core bench: ${rows.toLocaleString('en')} rows, ${(size / 1e6).toFixed(1)} MB, ${path}`);
  log(`node ${process.version}, one thread, read in ${READ_CHUNK / 1024} KiB chunks`);

  // Reading alone: the ceiling, and it puts the file in the page cache for both contenders.
  const read = await timed(() => readOnly(path));
  log(report({ label: 'read only (createReadStream)', rows, seconds: read.seconds }, size));

  const coreRun = await timed(() => coreAggregate(path));
  const partial = coreRun.value;
  const coreMeasurement: Measurement = {
    label: 'core CsvAggregator (parse + validate + aggregate)',
    rows: partial.rowsValid + partial.rowsRejected,
    seconds: coreRun.seconds,
  };
  log(report(coreMeasurement, size));
  log(`    rows valid ${partial.rowsValid}, rejected ${partial.rowsRejected}, cities ${Object.keys(partial.villes).length}`);

  const fastCsvRun = await timed(() => fastCsvAggregate(path));
  const counted = fastCsvRun.value;
  const fastCsvMeasurement: Measurement = {
    label: 'fast-csv parse + rows per city + sum of prix',
    rows: counted.rows,
    seconds: fastCsvRun.seconds,
  };
  log(report(fastCsvMeasurement, size));
  log(`    rows ${counted.rows}, cities ${counted.cities}`);

  const rate = (m: Measurement): number => m.rows / m.seconds;
  log(`  ratio core / fast-csv: ${(rate(coreMeasurement) / rate(fastCsvMeasurement)).toFixed(1)}×`);
  if (coreMeasurement.rows !== fastCsvMeasurement.rows) {
    log(`  WARNING: row counts differ (${coreMeasurement.rows} vs ${fastCsvMeasurement.rows})`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:core failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
