// The source file is read through two reused buffers, the next read under way while the last is worked on:
// every byte arrives in order, a yielded view holds until the next is asked for, and a UTF-8 character cut
// between two reads still makes a UTF-8 file.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectEncoding, readSource, READ_BUFFER_BYTES, type SourceFile } from '../src/index.js';

describe('the source file', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'source-file-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function fileOf(name: string, bytes: Buffer): Promise<SourceFile> {
    const path = join(dir, name);
    await writeFile(path, bytes);
    return { path, size: bytes.length };
  }

  it('is UTF-8 when a character is cut between two reads, and reads back byte for byte', async () => {
    // 'é' is two bytes, '€' three: one of them straddles each of the first read boundaries.
    const bytes = Buffer.concat([Buffer.alloc(READ_BUFFER_BYTES - 1, 0x61), Buffer.from('é€'.repeat(1000) + 'Nîmes\n', 'utf8'), Buffer.alloc(READ_BUFFER_BYTES - 2, 0x62), Buffer.from('€é')]);
    const file = await fileOf('cut.csv', bytes);
    expect(await detectEncoding(file, 'cut.csv')).toBe('utf-8');
    const read: Buffer[] = [];
    for await (const piece of readSource(file, 'cut.csv')) read.push(Buffer.from(piece));
    expect(read.length).toBeGreaterThan(2);
    expect(Buffer.concat(read).equals(bytes)).toBe(true);
  });

  it('keeps each yielded view intact until the next one is asked for, and stops cleanly when left early', async () => {
    const bytes = Buffer.alloc(READ_BUFFER_BYTES * 3 + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 20)) & 0xff;
    const file = await fileOf('views.csv', bytes);
    let offset = 0;
    for await (const piece of readSource(file, 'views.csv')) {
      const copy = Buffer.from(piece);
      // The next read is under way now; it must not land in the bytes being worked on.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(piece.equals(copy)).toBe(true);
      expect(piece.equals(bytes.subarray(offset, offset + piece.length))).toBe(true);
      offset += piece.length;
    }
    expect(offset).toBe(bytes.length);
    // Left after the first piece (a read is then under way): the reader ends without an error.
    for await (const piece of readSource(file, 'views.csv')) {
      expect(piece.length).toBe(READ_BUFFER_BYTES);
      break;
    }
  });

  it('checks the whole file in pieces, in order: characters cut between them, the end of the file, a bad byte far in', async () => {
    // Six reads and a bit, a 3-byte character across each boundary.
    const parts: Buffer[] = [];
    for (let piece = 0; piece < 6; piece++) parts.push(Buffer.alloc(READ_BUFFER_BYTES - (piece === 0 ? 1 : 3), 0x61), Buffer.from('€'));
    parts.push(Buffer.from('Nîmes\n'));
    const utf8 = Buffer.concat(parts);
    expect(await detectEncoding(await fileOf('pieces.csv', utf8), 'pieces.csv')).toBe('utf-8');
    // A file of exactly whole reads, and an empty one.
    expect(await detectEncoding(await fileOf('whole.csv', Buffer.alloc(READ_BUFFER_BYTES * 2, 0x62)), 'whole.csv')).toBe('utf-8');
    expect(await detectEncoding(await fileOf('empty.csv', Buffer.alloc(0)), 'empty.csv')).toBe('utf-8');
    // One Windows-1252 byte in the fifth read, or a character cut short by the end of the file.
    const latin = Buffer.from(utf8);
    latin[READ_BUFFER_BYTES * 4 + 10] = 0xee;
    expect(await detectEncoding(await fileOf('far.csv', latin), 'far.csv')).toBe('windows-1252');
    expect(await detectEncoding(await fileOf('cut.csv', utf8.subarray(0, utf8.length - 8)), 'cut.csv')).toBe('windows-1252');
  });

  it('is Windows-1252 when a byte past the first read is not UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from('é'.repeat(READ_BUFFER_BYTES), 'utf8'), Buffer.from([0x4e, 0xee, 0x6d, 0x65, 0x73, 0x0a]) /* Nîmes in Windows-1252 */]);
    expect(await detectEncoding(await fileOf('latin.csv', bytes), 'latin.csv')).toBe('windows-1252');
  });
});
