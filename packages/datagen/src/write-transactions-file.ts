// Writes a generated transactions CSV to a file, streaming (backpressure from the file decides the pace).
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { generateTransactions } from './generate-transactions.js';
import type { GeneratorOptions } from './generator-options.js';

export async function writeTransactionsFile(path: string, options: GeneratorOptions): Promise<void> {
  await pipeline(generateTransactions(options), createWriteStream(path));
}
