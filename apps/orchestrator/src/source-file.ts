// The run's source file: resolved inside DATA_DIR, checked, read, and when need be checked for its encoding.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { UnrecoverableError } from 'bullmq';
import { Utf8Checker, type SourceEncoding } from '@autoconnect/core';

/** Bytes per read: large enough that per-read work (progress, chunk routing) is negligible, small next to memory. */
export const READ_BUFFER_BYTES = 1 << 20;

export interface SourceFile {
  path: string;
  size: number;
}

function reasonOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  return err instanceof Error ? err.message : String(err);
}

/** A source that cannot be read is bad input, with a readable message (not retried). */
function unreadable(source: string, err: unknown): UnrecoverableError {
  return new UnrecoverableError(`source file '${source}' cannot be read: ${reasonOf(err)}`);
}

async function openToRead(file: SourceFile, source: string): Promise<FileHandle> {
  try {
    return await open(file.path, 'r');
  } catch (err) {
    throw unreadable(source, err);
  }
}

/** The byte count of a read under way, its error as bad input. */
async function bytesReadBy(read: Promise<{ bytesRead: number }>, source: string): Promise<number> {
  try {
    return (await read).bytesRead;
  } catch (err) {
    throw unreadable(source, err);
  }
}

/** Finds `source` inside `dataDir`; a missing or unreadable file is bad input (not retried). */
export async function openSource(dataDir: string, source: string): Promise<SourceFile> {
  const path = resolve(dataDir, source);
  const inside = relative(resolve(dataDir), path);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new UnrecoverableError(`source '${source}' is outside the data folder`);
  }
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UnrecoverableError(`source file '${source}' does not exist in the data folder`);
    }
    throw unreadable(source, err);
  }
  if (!info.isFile()) throw new UnrecoverableError(`source '${source}' is not a file`);
  return { path, size: info.size };
}

/**
 * Streams the file's bytes through two buffers, read into again and again: the next read is under way (on
 * libuv's threads) while the consumer works on the bytes just yielded, so reading overlaps the work instead of
 * waiting between steps. Each yielded view is valid until the consumer asks for the next one (the chunker copies
 * what it keeps). Fresh buffers per read would churn hundreds of megabytes of external memory, each megabyte a
 * nudge towards a full garbage collection. A read error is bad input with a readable message.
 */
export async function* readSource(file: SourceFile, source: string): AsyncGenerator<Buffer> {
  const handle = await openToRead(file, source);
  const buffers = [Buffer.allocUnsafe(READ_BUFFER_BYTES), Buffer.allocUnsafe(READ_BUFFER_BYTES)];
  const readInto = (buffer: Buffer) => handle.read(buffer, 0, buffer.length, null);
  let next = 0;
  let reading: Promise<{ bytesRead: number }> | null = readInto(buffers[next]);
  try {
    for (;;) {
      let bytesRead: number;
      try {
        bytesRead = await bytesReadBy(reading, source);
      } finally {
        reading = null;
      }
      if (bytesRead === 0) return;
      const filled = buffers[next];
      next ^= 1;
      // The other buffer is free: the consumer is done with the bytes it held.
      reading = readInto(buffers[next]);
      yield filled.subarray(0, bytesRead);
    }
  } finally {
    // A consumer that stops early leaves a read under way: it must end before the file is closed.
    await reading?.catch(() => undefined);
    await handle.close();
  }
}

/**
 * UTF-8 when the whole file is valid UTF-8, else Windows-1252 (Excel's French export): read as the split reads
 * it, in order. The split checks the file as it goes; this whole-file check answers only when the split met bad
 * input before it had read the whole file.
 */
export async function detectEncoding(file: SourceFile, source: string): Promise<SourceEncoding> {
  const checker = new Utf8Checker();
  for await (const bytes of readSource(file, source)) if (!checker.push(bytes)) return 'windows-1252';
  return checker.end() ? 'utf-8' : 'windows-1252';
}
