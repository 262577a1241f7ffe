// The CSV files of DATA_DIR, as GET /api/files lists them and PUT /api/files/{name} stores them. Uploads are
// streamed to a hidden temporary file next to their target and only then given their name, so no reader (a
// run, a listing) ever sees half a file.
import { randomBytes } from 'node:crypto';
import { createWriteStream, type Dirent } from 'node:fs';
import { link, lstat, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Config } from '@autoconnect/config';
import { pipeline } from 'node:stream/promises';
import { EmptyUploadError } from '../errors/empty-upload-error.js';
import { FileExistsError } from '../errors/file-exists-error.js';
import { UploadTooLargeError } from '../errors/upload-too-large-error.js';
import { resolveSource } from '../source/resolve-source.js';

export interface DataFile {
  name: string;
  /** Bytes. */
  size: number;
  /** Last modification, ISO 8601 (UTC). */
  modified: string;
}

/** What an upload may be called: the contract's `[A-Za-z0-9._-]+\.csv`, never hidden, never with '..'. */
export const UPLOAD_NAME_PATTERN = '^(?!\\.)(?!.*\\.\\.)[A-Za-z0-9._-]{1,196}\\.csv$';

/** Prefix of the temporary files of uploads under way: hidden, and not `.csv`, so nothing lists or runs them. */
export const UPLOAD_TEMP_PREFIX = '.upload-';

const CSV_NAME = /\.csv$/i;

/** How old a temporary upload file must be to count as left by an API that died mid-upload. */
export const STALE_UPLOAD_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes the temporary files of uploads that an API process left behind when it was killed mid-upload (older
 * than STALE_UPLOAD_MS: another API instance sharing DATA_DIR may be writing a younger one). Returns their names.
 */
export async function removeStaleUploads(dataDir: string, now: number = Date.now()): Promise<string[]> {
  const entries = await readdir(dataDir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of entries) {
    if (!name.startsWith(UPLOAD_TEMP_PREFIX) || !name.endsWith('.part')) continue;
    const path = join(dataDir, name);
    const info = await lstat(path).catch(() => null);
    if (info === null || !info.isFile() || now - info.mtimeMs < STALE_UPLOAD_MS) continue;
    if (await unlink(path).then(() => true, () => false)) removed.push(name);
  }
  return removed;
}

/** MAX_UPLOAD_MB in bytes (1 MB = 1,048,576 bytes). */
export function maxUploadBytes(config: Pick<Config, 'MAX_UPLOAD_MB'>): number {
  return Math.floor(config.MAX_UPLOAD_MB * 1024 * 1024);
}

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

function entryOf(name: string, stats: { size: number; mtime: Date }): DataFile {
  return { name, size: stats.size, modified: stats.mtime.toISOString() };
}

/**
 * The `.csv` files (any case, as POST /api/process accepts them) at the top of DATA_DIR, by name in code-point
 * order. Hidden files are left out (uploads under way among them); a symbolic link is listed only when it
 * leads to a file inside DATA_DIR, so the list names nothing a run would refuse. A missing DATA_DIR has no files.
 */
export async function listDataFiles(dataDir: string): Promise<DataFile[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dataDir, { withFileTypes: true });
  } catch (err) {
    if (code(err) === 'ENOENT' || code(err) === 'ENOTDIR') return [];
    throw err;
  }
  const candidates = entries.filter(
    (entry) => !entry.name.startsWith('.') && CSV_NAME.test(entry.name) && (entry.isFile() || entry.isSymbolicLink()),
  );
  const files = await Promise.all(
    candidates.map(async (entry): Promise<DataFile | null> => {
      try {
        if (entry.isSymbolicLink()) await resolveSource(dataDir, entry.name);
        const stats = await stat(join(dataDir, entry.name));
        return stats.isFile() ? entryOf(entry.name, stats) : null;
      } catch {
        // Gone since readdir, or a link leading outside: not a file a run could read.
        return null;
      }
    }),
  );
  return files.filter((file): file is DataFile => file !== null).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** What DATA_DIR holds under that name: nothing, a regular file, or something else (folder, link, …). */
export async function dataEntryKind(dataDir: string, name: string): Promise<'none' | 'file' | 'other'> {
  try {
    return (await lstat(join(dataDir, name))).isFile() ? 'file' : 'other';
  } catch (err) {
    if (code(err) === 'ENOENT') return 'none';
    throw err;
  }
}

export interface UploadOptions {
  dataDir: string;
  /** Already checked against {@link UPLOAD_NAME_PATTERN}. */
  name: string;
  maxBytes: number;
  /** Replace an existing file of that name; otherwise an existing one is a FileExistsError. */
  overwrite: boolean;
}

/** Counts the bytes going through and stops the upload, as too large, past `maxBytes`. */
function limitTo(maxBytes: number) {
  return async function* limited(chunks: AsyncIterable<Buffer>) {
    let total = 0;
    for await (const chunk of chunks) {
      total += chunk.length;
      if (total > maxBytes) throw new UploadTooLargeError(maxBytes);
      yield chunk;
    }
  };
}

/**
 * Streams `body` into DATA_DIR under `name`: into a temporary hidden file first (flushed to disk), then linked
 * (or, with `overwrite`, renamed) into place in one step. The temporary file is deleted whatever goes wrong:
 * a body over `maxBytes` (UploadTooLargeError), an empty one (EmptyUploadError), a client that went away, a
 * full disk. `body` itself is never destroyed, so the caller can still answer on its connection.
 */
export async function storeUpload(body: Readable, options: UploadOptions): Promise<DataFile> {
  const { dataDir, name, maxBytes, overwrite } = options;
  const target = join(dataDir, name);
  const temporary = join(dataDir, `${UPLOAD_TEMP_PREFIX}${randomBytes(8).toString('hex')}-${name}.part`);
  try {
    await pipeline(
      body.iterator({ destroyOnReturn: false }),
      limitTo(maxBytes),
      createWriteStream(temporary, { flags: 'wx', mode: 0o644, flush: true }),
    );
    const written = await stat(temporary);
    if (written.size === 0) throw new EmptyUploadError(name);
    if (overwrite) {
      await rename(temporary, target);
    } else {
      // link() fails on an existing name, so a file that appeared during the upload is never replaced.
      try {
        await link(temporary, target);
      } catch (err) {
        if (code(err) === 'EEXIST') throw new FileExistsError(name);
        if (code(err) !== 'EPERM' && code(err) !== 'ENOTSUP' && code(err) !== 'EXDEV') throw err;
        // A file system without hard links: rename, after a last look.
        if ((await dataEntryKind(dataDir, name)) !== 'none') throw new FileExistsError(name);
        await rename(temporary, target);
      }
      await unlink(temporary).catch(() => undefined);
    }
    return entryOf(name, await stat(target));
  } catch (err) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw err;
  }
}
