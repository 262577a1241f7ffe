// Confines a POST /api/process source to DATA_DIR before a run is accepted: a relative .csv name without
// '..' whose real path (symbolic links followed) is a regular file inside the real DATA_DIR.
import { realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix, sep, win32 } from 'node:path';
import { InvalidSourceError } from '../errors/invalid-source-error.js';
import { SourceNotFoundError } from '../errors/source-not-found-error.js';

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** The real path of `path` or of its closest existing ancestor (`root` itself at worst). */
async function nearestExistingRealPath(path: string, root: string): Promise<string> {
  for (let current = path; current.length >= root.length; current = dirname(current)) {
    try {
      return await realpath(current);
    } catch {
      // keep climbing
    }
  }
  return root;
}

/** Checks the text of a source without touching the disk; returns it normalised (`./a.csv` → `a.csv`). */
export function checkSourceName(source: string): string {
  if (source.trim() === '') throw new InvalidSourceError(source, 'empty name');
  if (source.includes('\0')) throw new InvalidSourceError(source, 'contains a NUL character');
  if (isAbsolute(source) || win32.isAbsolute(source)) throw new InvalidSourceError(source, 'absolute paths are not allowed');
  if (source.includes('..')) throw new InvalidSourceError(source, "'..' is not allowed");
  if (!/\.csv$/i.test(source)) throw new InvalidSourceError(source, 'not a .csv file');
  return posix.normalize(source);
}

/**
 * Resolves a source against DATA_DIR. Throws InvalidSourceError (400) for a bad name or a link leading
 * outside DATA_DIR, SourceNotFoundError (404) when no such file exists. Whether the file can be read and
 * parsed is the run's business: it is accepted here and its run fails.
 */
export async function resolveSource(dataDir: string, source: string): Promise<string> {
  const name = checkSourceName(source);
  let root: string;
  try {
    root = await realpath(dataDir);
  } catch {
    throw new SourceNotFoundError(source);
  }
  const inside = (path: string) => path.startsWith(root.endsWith(sep) ? root : root + sep);
  const candidate = join(root, name);
  let real: string;
  try {
    real = await realpath(candidate);
  } catch (err) {
    if (code(err) === 'ELOOP') throw new InvalidSourceError(source, 'symbolic link loop');
    // Missing: still refuse a path whose existing part leads outside, so answers say nothing of files there.
    const existing = await nearestExistingRealPath(dirname(candidate), root);
    if (existing !== root && !inside(existing)) throw new InvalidSourceError(source, 'it leads outside DATA_DIR');
    throw new SourceNotFoundError(source);
  }
  if (!inside(real)) throw new InvalidSourceError(source, 'it leads outside DATA_DIR');
  const stats = await stat(real).catch(() => null);
  if (stats === null || !stats.isFile()) throw new SourceNotFoundError(source);
  return name;
}
