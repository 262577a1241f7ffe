// Confinement and snapshots on a real file system: links inside and outside DATA_DIR, dangling ones, a file
// swapped, grown, shrunk or rewritten after its snapshot.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { appendFile, mkdir, mkdtemp, rm, symlink, utimes, writeFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confineSource, SourceChangedError, SourceFile, SourceMissingError, SourceRefusedError } from '../src/index.js';
import { checkStillThere } from '../src/source-file.js';

let base: string;
let data: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'data-folder-'));
  data = join(base, 'data');
  await mkdir(join(data, 'sub'), { recursive: true });
  await writeFile(join(data, 'a.csv'), 'hello\n');
  await writeFile(join(data, 'sub', 'b.csv'), 'b\n');
  await writeFile(join(base, 'secret.csv'), 'secret\n');
  await symlink(join(base, 'secret.csv'), join(data, 'live-out.csv'));
  await symlink(join(base, 'nothing.csv'), join(data, 'dangling-out.csv'));
  await symlink(join(data, 'a.csv'), join(data, 'live-in.csv'));
  await symlink(join(data, 'gone.csv'), join(data, 'dangling-in.csv'));
  await symlink(base, join(data, 'up'));
  await symlink(join(data, 'loop2.csv'), join(data, 'loop1.csv'));
  await symlink(join(data, 'loop1.csv'), join(data, 'loop2.csv'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('confineSource', () => {
  it('accepts files inside, through links that stay inside, and in subfolders', async () => {
    expect((await confineSource(data, 'a.csv')).name).toBe('a.csv');
    expect((await confineSource(data, './sub/b.csv')).name).toBe('sub/b.csv');
    expect((await confineSource(data, 'live-in.csv')).path).toBe(join(await import('node:fs/promises').then((fs) => fs.realpath(data)), 'a.csv'));
  });

  it('refuses a link leading outside alike whether its target exists or not', async () => {
    for (const source of ['live-out.csv', 'dangling-out.csv', 'up/secret.csv', 'up/nothing.csv']) {
      await expect(confineSource(data, source)).rejects.toBeInstanceOf(SourceRefusedError);
    }
  });

  it('answers missing for nothing there inside, and refuses loops and bad names', async () => {
    await expect(confineSource(data, 'none.csv')).rejects.toBeInstanceOf(SourceMissingError);
    await expect(confineSource(data, 'dangling-in.csv')).rejects.toBeInstanceOf(SourceMissingError);
    await expect(confineSource(data, 'sub')).rejects.toBeInstanceOf(SourceRefusedError);
    await expect(confineSource(data, 'loop1.csv')).rejects.toBeInstanceOf(SourceRefusedError);
    for (const source of ['/etc/passwd.csv', '../x.csv', 'a.txt', '', 'a\0.csv']) {
      await expect(confineSource(data, source)).rejects.toBeInstanceOf(SourceRefusedError);
    }
  });
});

describe('SourceFile', () => {
  it('reads up to the snapshot size after the file grew, and says it grew', async () => {
    await writeFile(join(data, 'grow.csv'), '0123456789');
    const first = await SourceFile.open(data, 'grow.csv');
    const snapshot = first.snapshot;
    await first.close();
    await appendFile(join(data, 'grow.csv'), 'more');
    const again = await SourceFile.open(data, 'grow.csv', snapshot);
    expect(again.grew).toBe(true);
    const buffer = Buffer.alloc(64);
    expect(await again.read(buffer, 0)).toBe(10);
    expect(await again.read(buffer, 10)).toBe(0);
    await again.close();
  });

  it('refuses a file replaced, shrunk or rewritten in place since the snapshot', async () => {
    await writeFile(join(data, 'swap.csv'), 'abcdef');
    const first = await SourceFile.open(data, 'swap.csv');
    const snapshot = first.snapshot;
    await first.close();
    await writeFile(join(data, 'swap.tmp'), 'abcdef');
    await rename(join(data, 'swap.tmp'), join(data, 'swap.csv'));
    await expect(SourceFile.open(data, 'swap.csv', snapshot)).rejects.toBeInstanceOf(SourceChangedError);

    const second = await SourceFile.open(data, 'swap.csv');
    const planned = second.snapshot;
    await second.close();
    await writeFile(join(data, 'swap.csv'), 'abc');
    await expect(SourceFile.open(data, 'swap.csv', planned)).rejects.toThrow(/shrank/);

    await writeFile(join(data, 'swap.csv'), 'xyz');
    const third = await SourceFile.open(data, 'swap.csv');
    const same = third.snapshot;
    await third.close();
    await writeFile(join(data, 'swap.csv'), 'XYZ');
    await utimes(join(data, 'swap.csv'), new Date(), new Date(Date.now() + 5000));
    await expect(SourceFile.open(data, 'swap.csv', same)).rejects.toThrow(/rewritten/);
  });

  it('refuses a file swapped for a link leading outside after the snapshot', async () => {
    await writeFile(join(data, 'victim.csv'), 'x\n');
    const first = await SourceFile.open(data, 'victim.csv');
    const snapshot = first.snapshot;
    await first.close();
    await rm(join(data, 'victim.csv'));
    await symlink(join(base, 'secret.csv'), join(data, 'victim.csv'));
    await expect(SourceFile.open(data, 'victim.csv', snapshot)).rejects.toBeInstanceOf(SourceRefusedError);
    await expect(SourceFile.open(data, 'victim.csv')).rejects.toBeInstanceOf(SourceRefusedError);
  });
});

describe('checkStillThere (the path looked up again once the file is open)', () => {
  const path = '/data/a.csv';
  const opened = { dev: 1, ino: 10 };

  it('passes when the path still leads, without links, to the very file opened', () => {
    expect(() => checkStillThere('a.csv', path, opened, path, { dev: 1, ino: 10 })).not.toThrow();
  });

  it('says a file renamed over the source meanwhile was replaced, not that it leads outside DATA_DIR', () => {
    // `cp new.csv tmp && mv tmp a.csv` while a worker opened a.csv: the path is plain, only its file changed.
    expect(() => checkStillThere('a.csv', path, opened, path, { dev: 1, ino: 11 })).toThrow(SourceChangedError);
    expect(() => checkStillThere('a.csv', path, opened, path, { dev: 1, ino: 11 })).toThrow(/replaced by another file/);
  });

  it('says a file deleted meanwhile does not exist', () => {
    expect(() => checkStillThere('a.csv', path, opened, null, null)).toThrow(SourceMissingError);
    expect(() => checkStillThere('a.csv', path, opened, path, null)).toThrow(SourceMissingError);
  });

  it('refuses a path that now goes through a link', () => {
    expect(() => checkStillThere('a.csv', path, opened, '/elsewhere/secret.csv', null)).toThrow(SourceRefusedError);
    expect(() => checkStillThere('a.csv', path, opened, '/data/other.csv', null)).toThrow(/leads outside DATA_DIR/);
  });
});
