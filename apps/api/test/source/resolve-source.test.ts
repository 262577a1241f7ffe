import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSource } from '../../src/source/resolve-source.js';
import { InvalidSourceError } from '../../src/errors/invalid-source-error.js';
import { SourceNotFoundError } from '../../src/errors/source-not-found-error.js';

let root: string;
let dataDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'autoconnect-source-'));
  dataDir = join(root, 'data');
  await mkdir(join(dataDir, 'sub'), { recursive: true });
  await mkdir(join(dataDir, 'folder.csv'));
  await writeFile(join(dataDir, 'transactions.csv'), 'date,ville,type,modele,prix\n');
  await writeFile(join(dataDir, 'sub', 'b.csv'), 'x');
  await writeFile(join(root, 'secret.csv'), 'outside');
  await symlink(join(root, 'secret.csv'), join(dataDir, 'escape.csv'));
  await symlink(root, join(dataDir, 'up'));
  await symlink(join(dataDir, 'transactions.csv'), join(dataDir, 'alias.csv'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('resolveSource', () => {
  it('accepts files inside DATA_DIR, normalised', async () => {
    await expect(resolveSource(dataDir, 'transactions.csv')).resolves.toBe('transactions.csv');
    await expect(resolveSource(dataDir, './transactions.csv')).resolves.toBe('transactions.csv');
    await expect(resolveSource(dataDir, 'sub/b.csv')).resolves.toBe('sub/b.csv');
    await expect(resolveSource(dataDir, 'alias.csv')).resolves.toBe('alias.csv');
  });

  it.each([
    ['/etc/passwd.csv', 'absolute'],
    ['/tmp/data/transactions.csv', 'absolute'],
    ['C:\\data\\t.csv', 'absolute'],
    ['../secret.csv', "'..'"],
    ['sub/../../secret.csv', "'..'"],
    ['..', "'..'"],
    ['transactions.txt', '.csv'],
    ['transactions', '.csv'],
    ['transactions.csv\0.txt', 'NUL'],
    ['', 'empty'],
  ])('refuses %j with 400 (%s)', async (source, reason) => {
    const attempt = resolveSource(dataDir, source);
    await expect(attempt).rejects.toBeInstanceOf(InvalidSourceError);
    await expect(attempt).rejects.toThrow(reason);
  });

  it('refuses symbolic links that lead outside DATA_DIR', async () => {
    await expect(resolveSource(dataDir, 'escape.csv')).rejects.toThrow('leads outside DATA_DIR');
    await expect(resolveSource(dataDir, 'up/secret.csv')).rejects.toBeInstanceOf(InvalidSourceError);
  });

  it('answers not found for missing files and folders', async () => {
    await expect(resolveSource(dataDir, 'missing.csv')).rejects.toBeInstanceOf(SourceNotFoundError);
    await expect(resolveSource(dataDir, 'folder.csv')).rejects.toBeInstanceOf(SourceNotFoundError);
    await expect(resolveSource(join(root, 'no-such-dir'), 'transactions.csv')).rejects.toBeInstanceOf(SourceNotFoundError);
  });
});

describe('resolveSource for missing files behind links', () => {
  it('answers 400, not 404, when the missing file would be outside DATA_DIR', async () => {
    await expect(resolveSource(dataDir, 'up/missing.csv')).rejects.toBeInstanceOf(InvalidSourceError);
    await expect(resolveSource(dataDir, 'up/nowhere/missing.csv')).rejects.toBeInstanceOf(InvalidSourceError);
    await expect(resolveSource(dataDir, 'sub/nowhere/missing.csv')).rejects.toBeInstanceOf(SourceNotFoundError);
  });
});

describe('resolveSource for dangling links', () => {
  // Each case is answered as the same path would be if what it points to existed: whether a file exists
  // outside DATA_DIR never shows in the answer.
  let dangling: string;

  beforeAll(async () => {
    dangling = join(root, 'dangling');
    await mkdir(join(dangling, 'sub'), { recursive: true });
    await symlink(join(root, 'no-such-file.csv'), join(dangling, 'gone-outside.csv'));
    await symlink(join(root, 'secret.csv'), join(dangling, 'live-outside.csv'));
    await symlink('../no-such-file.csv', join(dangling, 'gone-outside-relative.csv'));
    await symlink(join(root, 'no-such-dir'), join(dangling, 'gone-dir'));
    await symlink('no-such-target.csv', join(dangling, 'gone-inside.csv'));
    await symlink('../sub/../../no-such-file.csv', join(dangling, 'sub', 'twisted.csv'));
    await symlink('hop-2.csv', join(dangling, 'hop-1.csv'));
    await symlink(join(root, 'no-such-file.csv'), join(dangling, 'hop-2.csv'));
    await symlink('loop-b.csv', join(dangling, 'loop-a.csv'));
    await symlink('loop-a.csv', join(dangling, 'loop-b.csv'));
  });

  it('answers a dangling link that leads outside with the 400 of a live one', async () => {
    const live = resolveSource(dangling, 'live-outside.csv');
    await expect(live).rejects.toBeInstanceOf(InvalidSourceError);
    for (const source of ['gone-outside.csv', 'gone-outside-relative.csv', 'gone-dir/x.csv', 'sub/twisted.csv', 'hop-1.csv']) {
      const attempt = resolveSource(dangling, source);
      await expect(attempt).rejects.toBeInstanceOf(InvalidSourceError);
      await expect(attempt).rejects.toThrow(`invalid source '${source}': it leads outside DATA_DIR`);
    }
  });

  it('answers 404 for a dangling link that stays inside, and 400 for a loop', async () => {
    await expect(resolveSource(dangling, 'gone-inside.csv')).rejects.toBeInstanceOf(SourceNotFoundError);
    await expect(resolveSource(dangling, 'loop-a.csv')).rejects.toThrow('symbolic link loop');
  });
});
