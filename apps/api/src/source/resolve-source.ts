// Confines a POST /api/process source to DATA_DIR before a run is accepted: a relative .csv name without
// '..' whose real path (symbolic links followed) is a regular file inside the real DATA_DIR. A path that
// leads outside is refused the same way whether or not anything exists where it leads, so the answer
// never tells whether a file exists outside DATA_DIR.
import { lstat, readlink, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, posix, sep, win32 } from 'node:path';
import { InvalidSourceError } from '../errors/invalid-source-error.js';
import { SourceNotFoundError } from '../errors/source-not-found-error.js';

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** Links followed in one path before it counts as a loop (Linux's own limit). */
const MAX_LINKS = 40;

class LinkLoopError extends Error {}

/**
 * Where `path` (absolute) leads once every symbolic link on the way is followed, dangling ones included,
 * the part that does not exist kept as written: `realpath -m`. `realpath()` gives up at the first missing
 * component, which would hide where a dangling link points.
 */
async function wouldBeRealPath(path: string): Promise<string> {
  const pending = path.split(sep).filter((part) => part !== '');
  let resolved: string = sep;
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '.') continue;
    if (part === '..') {
      resolved = posix.dirname(resolved);
      continue;
    }
    const next = join(resolved, part);
    const stats = await lstat(next).catch((err: unknown) => {
      if (code(err) === 'ENOENT' || code(err) === 'ENOTDIR') return null;
      throw err;
    });
    if (stats === null) return join(next, ...pending);
    if (!stats.isSymbolicLink()) {
      resolved = next;
      continue;
    }
    links += 1;
    if (links > MAX_LINKS) throw new LinkLoopError();
    const target = await readlink(next);
    pending.unshift(...target.split(sep).filter((p) => p !== ''));
    if (isAbsolute(target)) resolved = sep;
  }
  return resolved;
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
    // Missing (a dangling link, or no such file): refused as a live path would be when it leads outside.
    let target: string;
    try {
      target = await wouldBeRealPath(candidate);
    } catch (cause) {
      if (cause instanceof LinkLoopError || code(cause) === 'ELOOP') throw new InvalidSourceError(source, 'symbolic link loop');
      throw new SourceNotFoundError(source);
    }
    if (!inside(target)) throw new InvalidSourceError(source, 'it leads outside DATA_DIR');
    throw new SourceNotFoundError(source);
  }
  if (!inside(real)) throw new InvalidSourceError(source, 'it leads outside DATA_DIR');
  const stats = await stat(real).catch(() => null);
  if (stats === null || !stats.isFile()) throw new SourceNotFoundError(source);
  return name;
}
