// A run's source file, opened where it is confined: the orchestrator takes a snapshot of it (device, inode,
// size, mtime) and every worker opens the same file again, refusing another one. A file that grew since the
// snapshot is read up to its size then; one replaced, truncated or rewritten in place fails the run.
import { constants } from 'node:fs';
import { open, realpath, stat, type FileHandle } from 'node:fs/promises';
import { confineSource } from './confine.js';
import { SourceChangedError, SourceMissingError, SourceRefusedError, SourceUnreadableError } from './source-errors.js';

/** The file as a run planned it. Numbers, so it travels in job data as JSON. */
export interface SourceSnapshot {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

function reasonOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'ELOOP') return 'it is a symbolic link';
  return err instanceof Error ? err.message : String(err);
}

/**
 * After opening `path` (the confined real path), whether the path still leads, without links, to the file that
 * was opened: `again` is its real path looked up once more (null when nothing is there any more), `there` what
 * is at `again` when it is `path` (else null). Throws why not, so a run's error says what happened:
 * SourceRefusedError when the path now goes through a link (it may lead anywhere), SourceMissingError when
 * the file was deleted meanwhile, SourceChangedError when another file was renamed over it meanwhile (the
 * usual way to replace a file: that is not a path leading outside DATA_DIR).
 */
export function checkStillThere(
  source: string,
  path: string,
  opened: { dev: number; ino: number },
  again: string | null,
  there: { dev: number; ino: number } | null,
): void {
  if (again === null) throw new SourceMissingError(source);
  if (again !== path) throw new SourceRefusedError(source, 'it leads outside DATA_DIR');
  if (there === null) throw new SourceMissingError(source);
  if (there.dev !== opened.dev || there.ino !== opened.ino) throw new SourceChangedError(source, 'it was replaced by another file');
}

export class SourceFile {
  private constructor(
    readonly name: string,
    private readonly handle: FileHandle,
    /** The snapshot the run reads: `size` bytes, whatever the file holds now. */
    readonly snapshot: SourceSnapshot,
    /** The file is longer now than when the run planned it. */
    readonly grew: boolean,
  ) {}

  /**
   * Opens `source` inside `dataDir` (confineSource's rule, then no link in the last step: O_NOFOLLOW) and, with
   * `planned`, checks it is the planned file. Throws SourceRefusedError, SourceMissingError,
   * SourceUnreadableError or SourceChangedError.
   */
  static async open(dataDir: string, source: string, planned?: SourceSnapshot): Promise<SourceFile> {
    const confined = await confineSource(dataDir, source);
    let handle: FileHandle;
    try {
      handle = await open(confined.path, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new SourceMissingError(source);
      // The path became a link between the check and the open.
      if (code === 'ELOOP') throw new SourceRefusedError(source, 'it leads outside DATA_DIR');
      throw new SourceUnreadableError(source, reasonOf(err));
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new SourceMissingError(source);
      // A folder on the way swapped for a link after the check would have led the open elsewhere: the path
      // must still be where it was, and lead to this very file.
      const again = await realpath(confined.path).catch(() => null);
      const there = again === confined.path ? await stat(again).catch(() => null) : null;
      checkStillThere(source, confined.path, info, again, there);
      const now: SourceSnapshot = { dev: info.dev, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs };
      if (planned === undefined) return new SourceFile(confined.name, handle, now, false);
      if (now.dev !== planned.dev || now.ino !== planned.ino) throw new SourceChangedError(source, 'it was replaced by another file');
      if (now.size < planned.size) throw new SourceChangedError(source, `it shrank from ${planned.size} to ${now.size} bytes`);
      if (now.size === planned.size && now.mtimeMs !== planned.mtimeMs) throw new SourceChangedError(source, 'it was rewritten');
      return new SourceFile(confined.name, handle, planned, now.size > planned.size);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /**
   * Reads into `buffer` from `position`, never past the snapshot's size; returns the bytes read (0 at the
   * snapshot's end). A file cut shorter meanwhile is SourceChangedError, an I/O error SourceUnreadableError.
   */
  async read(buffer: Buffer, position: number): Promise<number> {
    const length = Math.min(buffer.length, this.snapshot.size - position);
    if (length <= 0) return 0;
    let bytesRead: number;
    try {
      ({ bytesRead } = await this.handle.read(buffer, 0, length, position));
    } catch (err) {
      throw new SourceUnreadableError(this.name, reasonOf(err));
    }
    if (bytesRead === 0) throw new SourceChangedError(this.name, 'it was cut shorter');
    return bytesRead;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
