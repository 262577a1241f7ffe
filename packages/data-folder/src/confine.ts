// Confinement to DATA_DIR, the one rule the API, the orchestrator and the workers share: a source's real path
// (every symbolic link followed, a dangling one included) must lie inside the real DATA_DIR.
import { lstat, readlink, realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { SourceMissingError, SourceRefusedError } from './source-errors.js';
import { checkSourceName } from './source-name.js';

/** Links followed before a chain of them counts as a loop (Linux's own limit). */
const MAX_LINKS = 40;

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

export interface ConfinedSource {
  /** The name, normalised. */
  name: string;
  /** The real path of the file (links resolved), inside the real DATA_DIR. */
  path: string;
  /** The real DATA_DIR. */
  root: string;
}

/** Whether `path` (absolute, normalised) is `root` itself or inside it. */
export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Where `path` leads once every link in it is followed, as far as the links exist: the real path of its
 * longest existing prefix, joined with the rest. A dangling link is followed to its target like a live one, so
 * a link leading outside is found whether or not its target exists.
 */
async function whereItLeads(path: string): Promise<string> {
  let current = path;
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    try {
      return await realpath(current);
    } catch (err) {
      if (code(err) === 'ELOOP') throw err;
    }
    // Missing somewhere: is the last component a (dangling) link? Follow it by hand.
    const info = await lstat(current).catch(() => null);
    if (info?.isSymbolicLink()) {
      current = resolve(dirname(current), await readlink(current));
      continue;
    }
    // Not a link: resolve the parent (which may be a dangling link itself) and keep the name.
    const parent = dirname(current);
    if (parent === current) return current;
    return join(await whereItLeads(parent), basename(current));
  }
  throw Object.assign(new Error('too many symbolic links'), { code: 'ELOOP' });
}

/**
 * Resolves `source` inside `dataDir`. Throws SourceRefusedError for a bad name, a link loop or a path leading
 * outside DATA_DIR (also when nothing exists at its end), SourceMissingError when no regular file is there.
 */
export async function confineSource(dataDir: string, source: string): Promise<ConfinedSource> {
  const name = checkSourceName(source);
  let root: string;
  try {
    root = await realpath(dataDir);
  } catch {
    throw new SourceMissingError(source);
  }
  let real: string;
  try {
    real = await whereItLeads(join(root, name));
  } catch (err) {
    if (code(err) === 'ELOOP') throw new SourceRefusedError(source, 'symbolic link loop');
    throw new SourceMissingError(source);
  }
  if (!isInside(root, real) || real === root) throw new SourceRefusedError(source, 'it leads outside DATA_DIR');
  const info = await lstat(real).catch(() => null);
  if (info === null || !info.isFile()) throw new SourceMissingError(source, info?.isDirectory() ?? false);
  return { name, path: real, root };
}
