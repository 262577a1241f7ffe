// Benchmark inputs are generated once per (rows, seed) and kept under bench/.cache/ (gitignored): the
// generator is deterministic, so a cached file is the file a fresh run would make.
import { mkdir, rename, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { writeTransactionsFile } from '@autoconnect/datagen';

const CACHE_DIR = fileURLToPath(new URL('../.cache/', import.meta.url));

export async function cachedTransactionsFile(rows: number, seed: number, log: (line: string) => void): Promise<string> {
  const path = join(CACHE_DIR, `transactions-${rows}-seed${seed}.csv`);
  if (await exists(path)) return path;
  await mkdir(CACHE_DIR, { recursive: true });
  log(`generating ${rows.toLocaleString('en')} rows (seed ${seed}) into ${path} …`);
  const started = performance.now();
  // Written aside and renamed, so an interrupted generation never leaves a truncated file in the cache.
  const partial = `${path}.${process.pid}.partial`;
  await writeTransactionsFile(partial, { rows, seed });
  await rename(partial, path);
  log(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return path;
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
