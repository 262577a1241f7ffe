// How far a run is, as one number for users: a blend of the split's reading and the workers' mapping.
import type { RunStatus } from './run-report.js';

export interface ProgressInput {
  status: RunStatus;
  bytesTotal: number;
  bytesRead: number;
  chunksTotal: number;
  chunksDone: number;
}

/**
 * Reading the file counts for 30 %, mapping for 65 %, reducing for the last 5 %. The number of chunks is
 * known only once the whole file is read, so mapping progress is the share of chunks mapped so far times
 * the share of the file read: it never runs ahead of the reading, and percent never goes back.
 * Integer 0..100; 100 only once completed.
 */
export function runPercent(p: ProgressInput): number {
  if (p.status === 'completed') return 100;
  if (p.status === 'queued') return 0;
  const read = p.bytesTotal > 0 ? Math.min(1, p.bytesRead / p.bytesTotal) : 0;
  const mapped = p.chunksTotal > 0 ? Math.min(1, p.chunksDone / p.chunksTotal) : 0;
  if (p.status === 'reducing') return 95;
  return Math.min(99, Math.floor(30 * read + 65 * read * mapped));
}
