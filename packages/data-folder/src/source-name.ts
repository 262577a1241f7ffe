// The text of a source name, checked without touching the disk.
import { isAbsolute, posix, win32 } from 'node:path';
import { SourceRefusedError } from './source-errors.js';

/**
 * A relative `.csv` name without `..`, NUL or backslash tricks; returned normalised (`./a.csv` → `a.csv`).
 * Subfolders are allowed. Throws SourceRefusedError.
 */
export function checkSourceName(source: string): string {
  if (source.trim() === '') throw new SourceRefusedError(source, 'empty name');
  if (source.includes('\0')) throw new SourceRefusedError(source, 'contains a NUL character');
  if (isAbsolute(source) || win32.isAbsolute(source)) throw new SourceRefusedError(source, 'absolute paths are not allowed');
  if (source.includes('..')) throw new SourceRefusedError(source, "'..' is not allowed");
  if (!/\.csv$/i.test(source)) throw new SourceRefusedError(source, 'not a .csv file');
  return posix.normalize(source);
}
