// The core alone, in one process and one thread, no Redis: the practical single-thread limit of the product.
import { createReadStream } from 'node:fs';
import { CsvAggregator, finalise } from '@autoconnect/core';
import type { ComparedMetrics } from '../compare-results.js';

const READ_CHUNK = 1024 * 1024;

/** The generated file is UTF-8, so no encoding check is timed (the orchestrator's costs it little), as in bench:core. */
export async function coreAggregator(path: string): Promise<ComparedMetrics> {
  const aggregator = new CsvAggregator({ encoding: 'utf-8' });
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK })) aggregator.push(chunk as Buffer);
  return finalise(aggregator.end());
}
