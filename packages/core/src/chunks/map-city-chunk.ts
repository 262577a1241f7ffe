// The map step: a city-chunk's records through the shared validator into PartialMetrics.
import { COMMA, QUOTE, SEMICOLON } from '../csv/ascii.js';
import { ScannedRecord } from '../csv/scanned-record.js';
import { RowTally } from '../metrics/row-tally.js';
import type { ChunkContext, PartialMetrics } from '../types.js';
import { ChunkRecordCursor } from './chunk-format.js';

/** A chunk's PartialMetrics: rows of the plain form in one walk each, every other through the validator. */
export function mapCityChunk(data: Uint8Array, context: ChunkContext): PartialMetrics {
  const tally = new RowTally(context.layout, context.encoding);
  const cursor = new ChunkRecordCursor(data);
  if (cursor.villeStart < 0) {
    while (cursor.next()) tally.countBytes(data, cursor.start, cursor.end, cursor.line);
    return tally.toPartial();
  }
  // A chunk carrying its ville: whether a record holds a quote decides how an empty ville reads (one search
  // per quote in the chunk, not per record).
  tally.useChunkVille(data, cursor.villeStart, cursor.villeEnd);
  let nextQuote = -1;
  while (cursor.next()) {
    if (nextQuote !== Infinity && nextQuote < cursor.start) {
      nextQuote = data.indexOf(QUOTE, cursor.start);
      if (nextQuote < 0) nextQuote = Infinity;
    }
    tally.countBytes(data, cursor.start, cursor.end, cursor.line, nextQuote < cursor.end);
  }
  return tally.toPartial();
}

/**
 * The same PartialMetrics by the general path alone: every record split into fields and checked by
 * RowValidator. It defines what `mapCityChunk` must answer; the tests compare the two.
 */
export function mapCityChunkByValidator(data: Uint8Array, context: ChunkContext): PartialMetrics {
  const tally = new RowTally(context.layout, context.encoding);
  const record = new ScannedRecord();
  const delimiter = context.layout.delimiter === ';' ? SEMICOLON : COMMA;
  const cursor = new ChunkRecordCursor(data);
  if (cursor.villeStart >= 0) tally.useChunkVille(data, cursor.villeStart, cursor.villeEnd);
  let nextQuote = -1;
  while (cursor.next()) {
    const start = cursor.start;
    const end = cursor.end;
    if (nextQuote !== Infinity && nextQuote < start) {
      nextQuote = data.indexOf(QUOTE, start);
      if (nextQuote < 0) nextQuote = Infinity;
    }
    record.split(data, start, end, delimiter, nextQuote < end);
    record.line = cursor.line;
    tally.count(record);
  }
  return tally.toPartial();
}
