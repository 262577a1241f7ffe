// Reads the header record: which field holds which column. Names are trimmed and matched
// case-insensitively, in any order; unknown columns are ignored; a name given twice counts where it first is.
import { MissingColumnsError } from '../errors/missing-columns-error.js';
import { COLUMNS, REQUIRED_COLUMNS, type Column, type Delimiter, type HeaderLayout, type SourceEncoding } from '../types.js';
import { SEMICOLON } from './ascii.js';
import { decodeBytes } from './text-decoding.js';
import type { ScannedRecord } from './scanned-record.js';

export function readHeaderLayout(header: ScannedRecord, delimiterByte: number, encoding: SourceEncoding): HeaderLayout {
  const names: string[] = [];
  for (let i = 0; i < header.fieldCount; i++) {
    names.push(decodeBytes(header.fieldBuf, header.fieldStart[i], header.fieldEnd[i], encoding).trim());
  }
  const columns = {} as Record<Column, number>;
  for (const column of COLUMNS) columns[column] = names.findIndex((name) => name.toLowerCase() === column);
  const missing = REQUIRED_COLUMNS.filter((column) => columns[column] === -1);
  if (missing.length > 0) throw new MissingColumnsError(missing, names);
  const delimiter: Delimiter = delimiterByte === SEMICOLON ? ';' : ',';
  return { delimiter, fieldCount: header.fieldCount, columns, headerLine: header.line };
}
