// Test helpers: the chunks a CityChunker emits for some bytes, read whole, cut, or one byte at a time.
import { CityChunker, type CityChunk } from '../../src/index.js';
import { pieces } from './scan.js';

export interface ChunkerOptions {
  chunkRows: number;
  maxBufferedBytes?: number;
}

/** The chunks (key, rows, bytes in hex) and rows read, or the error the chunker throws (no data rows, say). */
export type ChunkerOutcome = { chunks: [string, number, string][]; rowsRead: number } | { error: string };

export function chunkerOutcome(bytes: Buffer, options: ChunkerOptions, cuts: readonly number[] = []): ChunkerOutcome {
  const chunker = new CityChunker({ encoding: 'utf-8', ...options });
  try {
    const chunks: CityChunk[] = pieces(bytes, cuts).flatMap((piece) => chunker.push(piece));
    chunks.push(...chunker.end());
    return { chunks: chunks.map((c) => [c.cityKey, c.rows, c.data.toString('hex')]), rowsRead: chunker.rowsRead };
  } catch (error) {
    return { error: (error as Error).name };
  }
}

/**
 * The scanner's path for every record: one byte at a time, each record is completed in the scanner's carry,
 * so the splitter's run loop never sees a whole record.
 */
export function chunkerOutcomeByteByByte(bytes: Buffer, options: ChunkerOptions): ChunkerOutcome {
  return chunkerOutcome(bytes, options, [...bytes.keys()].map((i) => i + 1));
}
