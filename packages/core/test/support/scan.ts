// Test helpers: run bytes through the core's readers, cut into buffers at chosen places.
import { CsvAggregator, RecordScanner, type PartialMetrics, type SourceEncoding } from '../../src/index.js';

export interface ReadRecord {
  line: number;
  fields: string[];
  unterminated: boolean;
}

/** `bytes` cut before each offset of `cuts` (ascending, any values are clamped). */
export function pieces(bytes: Uint8Array, cuts: readonly number[] = []): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const at = Math.min(Math.max(cut, from), bytes.length);
    out.push(bytes.subarray(from, at));
    from = at;
  }
  out.push(bytes.subarray(from));
  return out;
}

/** Every record the scanner reports (header included), fields decoded as UTF-8. */
export function scanRecords(input: string | Uint8Array, cuts: readonly number[] = []): ReadRecord[] {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const records: ReadRecord[] = [];
  const scanner = new RecordScanner((record) => {
    const fields: string[] = [];
    for (let i = 0; i < record.fieldCount; i++) {
      fields.push(Buffer.from(record.fieldBuf.subarray(record.fieldStart[i], record.fieldEnd[i])).toString('utf8'));
    }
    records.push({ line: record.line, fields, unterminated: record.unterminated });
  });
  for (const piece of pieces(bytes, cuts)) scanner.push(piece);
  scanner.end();
  return records;
}

/** The file through CsvAggregator. */
export function aggregate(input: string | Uint8Array, options: { encoding?: SourceEncoding; cuts?: readonly number[]; maxRecordBytes?: number } = {}): PartialMetrics {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const aggregator = new CsvAggregator({ encoding: options.encoding, maxRecordBytes: options.maxRecordBytes });
  for (const piece of pieces(bytes, options.cuts)) aggregator.push(piece);
  return aggregator.end();
}

export const HEADER = 'transaction_id,date,ville,type,modele,prix,duree_location_mois';
