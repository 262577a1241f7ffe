// The map step: a city-chunk's records through the shared validator into PartialMetrics.
import { COMMA, QUOTE, SEMICOLON } from '../csv/ascii.js';
import { ScannedRecord } from '../csv/scanned-record.js';
import { RowTally } from '../metrics/row-tally.js';
import type { ChunkContext, PartialMetrics } from '../types.js';
import { readChunkRecords } from './chunk-format.js';

export function mapCityChunk(data: Uint8Array, context: ChunkContext): PartialMetrics {
  const tally = new RowTally(context.layout, context.encoding);
  const record = new ScannedRecord();
  const delimiter = context.layout.delimiter === ';' ? SEMICOLON : COMMA;
  let nextQuote = -1;
  readChunkRecords(data, (line, start, end) => {
    if (nextQuote !== Infinity && nextQuote < start) {
      nextQuote = data.indexOf(QUOTE, start);
      if (nextQuote < 0) nextQuote = Infinity;
    }
    record.split(data, start, end, delimiter, nextQuote < end);
    record.line = line;
    tally.count(record);
  });
  return tally.toPartial();
}
