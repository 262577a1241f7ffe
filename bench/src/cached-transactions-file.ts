// Benchmark inputs are generated once per (rows, seed, generator) and kept under bench/.cache/ (gitignored):
// the generator is deterministic, so a cached file is the file a fresh run would make. The name carries a
// digest of a small sample of the generator's output, so a generator that changes its bytes gets new files.
import { createHash } from 'node:crypto';
import { mkdir, rename, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { generateTransactions, writeTransactionsFile } from '@autoconnect/datagen';

const CACHE_DIR = fileURLToPath(new URL('../.cache/', import.meta.url));

export async function cachedTransactionsFile(rows: number, seed: number, log: (line: string) => void): Promise<string> {
  const path = join(CACHE_DIR, `transactions-${rows}-seed${seed}-${await generatorFingerprint(seed)}.csv`);
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

/** 8 hex digits of the SHA-256 of 2,000 generated rows: the generator's output, as far as a few ms can tell. */
async function generatorFingerprint(seed: number): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of generateTransactions({ rows: 2_000, seed })) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, 8);
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
