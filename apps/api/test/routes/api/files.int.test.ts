// GET /api/files and PUT /api/files/:name against a real DATA_DIR (and real Redis for the run it checks):
// listing rules, streamed uploads never visible half-written, name rules, 409 / overwrite, 413 with nothing
// left behind, the admin token.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { removeStaleUploads, STALE_UPLOAD_MS } from '../../../src/files/data-files.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pollUntil } from '@autoconnect/testkit';
import { createTestApp, listen, type TestApp } from '../../support/test-app.js';

const HEADER = 'transaction_id,date,ville,type,modele,prix,duree_location_mois\n';
const ROW = 'TX1,2023-01-14,Paris,vente,Peugeot 208,18990.00,\n';

/** A CSV of about `bytes` bytes. */
function csvOf(bytes: number): Buffer {
  return Buffer.from(HEADER + ROW.repeat(Math.max(1, Math.ceil((bytes - HEADER.length) / ROW.length))));
}

let t: TestApp;
/** The app over a real connection, for what inject cannot do (a body sent in parts, a client that leaves). */
let base: string;
let outside: string;

async function put(name: string, payload: Buffer | Readable | undefined, options: { query?: string; headers?: Record<string, string> } = {}) {
  return t.app.inject({
    method: 'PUT',
    url: `/api/files/${name}${options.query ?? ''}`,
    headers: { 'content-type': 'text/csv', ...options.headers },
    payload,
  });
}

async function names(dir = t.dataDir): Promise<string[]> {
  return (await readdir(dir)).sort();
}

beforeAll(async () => {
  // 0.05 MB: 52,428 bytes.
  t = await createTestApp({ MAX_UPLOAD_MB: '0.05' }, { processRateLimit: { max: 1_000, timeWindow: 60_000 } });
  base = await listen(t.app);
  outside = await mkdtemp(join(tmpdir(), 'autoconnect-outside-'));
});

afterAll(async () => {
  await t.close();
  await rm(outside, { recursive: true, force: true });
});

describe('GET /api/files', () => {
  it('lists the .csv files at the top of DATA_DIR by name, with size and ISO 8601 modification time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'autoconnect-list-'));
    const listed = await createTestApp({ DATA_DIR: dir });
    try {
      expect((await listed.app.inject({ method: 'GET', url: '/api/files' })).json()).toEqual({ files: [] });
      await writeFile(join(dir, 'b.csv'), 'abc');
      await writeFile(join(dir, 'A-upper.CSV'), 'x');
      await writeFile(join(dir, 'notes.txt'), 'x');
      await writeFile(join(dir, '.upload-1234-c.csv.part'), 'x');
      await writeFile(join(dir, '.hidden.csv'), 'x');
      await mkdir(join(dir, 'sub'));
      await writeFile(join(dir, 'sub', 'nested.csv'), 'x');
      await mkdir(join(dir, 'folder.csv'));
      await symlink(join(dir, 'b.csv'), join(dir, 'link-inside.csv'));
      await writeFile(join(outside, 'secret.csv'), 'secret');
      await symlink(join(outside, 'secret.csv'), join(dir, 'link-outside.csv'));
      await symlink(join(dir, 'gone.csv'), join(dir, 'dangling.csv'));

      const res = await listed.app.inject({ method: 'GET', url: '/api/files' });
      expect(res.statusCode).toBe(200);
      const { files } = res.json() as { files: Array<{ name: string; size: number; modified: string }> };
      expect(files.map((f) => f.name)).toEqual(['A-upper.CSV', 'b.csv', 'link-inside.csv']);
      expect(files[1]).toEqual({ name: 'b.csv', size: 3, modified: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
      expect(Math.abs(Date.parse(files[1].modified) - Date.now())).toBeLessThan(60_000);
    } finally {
      await listed.close();
    }
  });

  it('answers an empty list when DATA_DIR does not exist', async () => {
    const missing = await createTestApp({ DATA_DIR: join(outside, 'no-such-folder') });
    try {
      expect((await missing.app.inject({ method: 'GET', url: '/api/files' })).json()).toEqual({ files: [] });
    } finally {
      await missing.close();
    }
  });
});

describe('PUT /api/files/:name', () => {
  it('stores the body as the file and answers 201 with its entry, whatever the content type', async () => {
    const body = csvOf(20_000);
    const res = await put('upload-1.csv', body);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ name: 'upload-1.csv', size: body.length, modified: expect.any(String) });
    expect(await readFile(join(t.dataDir, 'upload-1.csv'))).toEqual(body);
    const listed = (await t.app.inject({ method: 'GET', url: '/api/files' })).json() as { files: Array<{ name: string }> };
    expect(listed.files).toContainEqual(res.json());

    // JSON and text parsers (16 KiB limit) never see an upload; no content type at all is fine too.
    for (const [name, type] of [['as-json.csv', 'application/json'], ['as-text.csv', 'text/plain'], ['no-type.csv', '']] as const) {
      const headers: Record<string, string> = type === '' ? {} : { 'content-type': type };
      const stored = await t.app.inject({ method: 'PUT', url: `/api/files/${name}`, headers, payload: body });
      expect([name, stored.statusCode]).toEqual([name, 201]);
      expect(await readFile(join(t.dataDir, name))).toEqual(body);
    }
    // The file can be processed by name right away.
    const run = await t.app.inject({ method: 'POST', url: '/api/process', payload: { source: 'upload-1.csv' } });
    expect(run.statusCode).toBe(202);
    await t.redis.del(`${t.prefix}:active-run`);
  });

  it('streams the body to a hidden temporary file: the file shows under its name only once complete', async () => {
    const body = csvOf(40_000);
    const request = httpRequest(`${base}/api/files/streamed.csv`, { method: 'PUT', headers: { 'content-type': 'text/csv' } });
    const answer = new Promise<IncomingMessage>((resolve, reject) => request.on('response', resolve).on('error', reject));
    request.write(body.subarray(0, 10_000));
    // Half of it is on disk under a hidden name; nothing lists it, nothing can run it.
    const temporary = await pollUntil(
      async () => (await names()).find((name) => name.startsWith('.upload-') && name.includes('streamed.csv')),
      { what: 'the temporary file of the upload' },
    );
    expect(await names()).not.toContain('streamed.csv');
    const listed = (await t.app.inject({ method: 'GET', url: '/api/files' })).json() as { files: Array<{ name: string }> };
    expect(listed.files.map((f) => f.name)).not.toContain('streamed.csv');
    expect(listed.files.map((f) => f.name)).not.toContain(temporary);
    const early = await t.app.inject({ method: 'POST', url: '/api/process', payload: { source: 'streamed.csv' } });
    expect(early.statusCode).toBe(404);

    request.end(body.subarray(10_000));
    const response = await answer;
    const text = await new Promise<string>((resolve) => {
      let data = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (data += chunk)).on('end', () => resolve(data));
    });
    expect([response.statusCode, JSON.parse(text).size]).toEqual([201, body.length]);
    expect(await readFile(join(t.dataDir, 'streamed.csv'))).toEqual(body);
    expect((await names()).filter((name) => name.startsWith('.upload-'))).toEqual([]);
  });

  it('answers 413 over a real connection to a chunked body that passes the limit, and closes it', async () => {
    // No Content-Length (curl -T -): the limit is found while writing, and the client is still there to hear it.
    const request = httpRequest(`${base}/api/files/chunked.csv`, { method: 'PUT', headers: { 'content-type': 'text/csv' } });
    const answer = new Promise<IncomingMessage>((resolve, reject) => request.on('response', resolve).on('error', reject));
    for (let i = 0; i < 20; i += 1) request.write(csvOf(4_000));
    request.end();
    const response = await answer;
    const text = await new Promise<string>((resolve) => {
      let data = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (data += chunk)).on('end', () => resolve(data));
    });
    expect([response.statusCode, response.headers.connection]).toEqual([413, 'close']);
    expect(JSON.parse(text).message).toContain('MAX_UPLOAD_MB');
    expect((await names()).filter((name) => name.includes('chunked'))).toEqual([]);
  });

  it('deletes the temporary file when the client goes away mid-upload', async () => {
    const request: ClientRequest = httpRequest(`${base}/api/files/abandoned.csv`, { method: 'PUT', headers: { 'content-type': 'text/csv' } });
    request.on('error', () => undefined);
    request.write(csvOf(5_000));
    await pollUntil(async () => (await names()).find((name) => name.includes('abandoned.csv')), { what: 'the temporary file' });
    request.destroy();
    await pollUntil(async () => ((await names()).some((name) => name.includes('abandoned.csv')) ? undefined : true), { what: 'the temporary file to go' });
  });

  it.each([
    ['bad name.csv', 'bad%20name.csv'],
    ['notes.txt', 'notes.txt'],
    ['upper.CSV', 'upper.CSV'],
    ['.hidden.csv', '.hidden.csv'],
    ['a..b.csv', 'a..b.csv'],
    ['sub/x.csv', 'sub%2Fx.csv'],
    ['accentué.csv', 'accentu%C3%A9.csv'],
    ['too long', `${'a'.repeat(197)}.csv`],
    ['just .csv', '.csv'],
  ])('refuses the name %s with 400 saying what is allowed, and stores nothing', async (_label, encoded) => {
    const before = await names();
    const res = await put(encoded, csvOf(100));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringContaining("letters, digits, '.', '_' or '-' ending in .csv"),
    });
    expect(await names()).toEqual(before);
  });

  it('answers 414 for a name longer than any path parameter may be', async () => {
    const res = await put(`${'a'.repeat(300)}.csv`, csvOf(100));
    expect(res.statusCode).toBe(414);
  });

  it('refuses an empty body with 400', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/api/files/empty.csv' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('empty body');
    expect((await put('empty.csv', Buffer.alloc(0))).statusCode).toBe(400);
    expect(await names()).not.toContain('empty.csv');
  });

  it('answers 409 for an existing file unless ?overwrite=true, which replaces it', async () => {
    await put('twice.csv', csvOf(1_000));
    const again = await put('twice.csv', csvOf(2_000));
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({ statusCode: 409, error: 'Conflict', message: expect.stringContaining('?overwrite=true') });
    expect((await readFile(join(t.dataDir, 'twice.csv'))).length).toBe(csvOf(1_000).length);

    const replaced = await put('twice.csv', csvOf(2_000), { query: '?overwrite=true' });
    expect(replaced.statusCode).toBe(201);
    expect(replaced.json().size).toBe(csvOf(2_000).length);
    expect(await readFile(join(t.dataDir, 'twice.csv'))).toEqual(csvOf(2_000));
    expect((await put('twice.csv', csvOf(10), { query: '?overwrite=false' })).statusCode).toBe(409);
    expect((await put('twice.csv', csvOf(10), { query: '?overwrite=yes' })).statusCode).toBe(400);
    // A folder is never replaced.
    await mkdir(join(t.dataDir, 'folder.csv'));
    const folder = await put('folder.csv', csvOf(10), { query: '?overwrite=true' });
    expect(folder.statusCode).toBe(409);
    expect(folder.json().message).toContain('not a regular file');
  });

  it('refuses to replace the file the active run reads (409 naming the run)', async () => {
    await put('in-use.csv', csvOf(1_000));
    const run = await t.app.inject({ method: 'POST', url: '/api/process', payload: { source: 'in-use.csv' } });
    const runId = run.json().job_id as string;
    try {
      const res = await put('in-use.csv', csvOf(2_000), { query: '?overwrite=true' });
      expect(res.statusCode).toBe(409);
      expect(res.json().message).toContain(runId);
      expect((await put('other-while-running.csv', csvOf(2_000))).statusCode).toBe(201);
    } finally {
      await t.redis.del(`${t.prefix}:active-run`);
    }
  });

  it('answers 413 for a Content-Length over MAX_UPLOAD_MB, before reading the body', async () => {
    const response = await fetch(`${base}/api/files/too-big.csv`, { method: 'PUT', body: csvOf(60_000) });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: expect.stringContaining(`${Math.floor(0.05 * 1024 * 1024)} bytes (MAX_UPLOAD_MB)`),
    });
    expect((await names()).filter((name) => name.includes('too-big'))).toEqual([]);
  });

  it('answers 413 for a body that turns out too large while streamed, and deletes what it wrote', async () => {
    // No Content-Length: the limit is found while writing.
    const chunks = Array.from({ length: 20 }, () => csvOf(4_000));
    const res = await put('grows.csv', Readable.from(chunks));
    expect(res.statusCode).toBe(413);
    expect(res.headers.connection).toBe('close');
    expect((await names()).filter((name) => name.includes('grows'))).toEqual([]);
    // Exactly at the limit is fine.
    const limit = Math.floor(0.05 * 1024 * 1024);
    expect((await put('at-limit.csv', Buffer.alloc(limit, 'a'))).statusCode).toBe(201);
    expect((await put('over-limit.csv', Buffer.alloc(limit + 1, 'a'))).statusCode).toBe(413);
  });
});

describe('PUT /api/files/:name with ADMIN_TOKEN', () => {
  it('needs the bearer token, as POST /api/process does', async () => {
    const secured = await createTestApp({ ADMIN_TOKEN: 'upload-token' });
    try {
      const send = (headers: Record<string, string>) =>
        secured.app.inject({ method: 'PUT', url: '/api/files/secured.csv', headers: { 'content-type': 'text/csv', ...headers }, payload: csvOf(100) });
      const missing = await send({});
      expect(missing.statusCode).toBe(401);
      expect(missing.headers['www-authenticate']).toContain('Bearer');
      expect((await send({ authorization: 'Bearer wrong' })).statusCode).toBe(401);
      expect(await readdir(secured.dataDir)).toEqual([]);
      expect((await send({ authorization: 'Bearer upload-token' })).statusCode).toBe(201);
      // Listing stays public.
      expect((await secured.app.inject({ method: 'GET', url: '/api/files' })).json().files).toHaveLength(1);
    } finally {
      await secured.close();
    }
  });
});

describe('temporary files left by an API killed mid-upload', () => {
  it('are removed when older than a day, younger ones (another instance uploading) and real files kept', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'autoconnect-stale-'));
    try {
      await writeFile(join(dir, '.upload-0123456789abcdef-old.csv.part'), 'half a file');
      await writeFile(join(dir, '.upload-fedcba9876543210-new.csv.part'), 'being written');
      await writeFile(join(dir, 'kept.csv'), 'a,b\n');
      const dayAgo = new Date(Date.now() - STALE_UPLOAD_MS - 60_000);
      await utimes(join(dir, '.upload-0123456789abcdef-old.csv.part'), dayAgo, dayAgo);
      expect(await removeStaleUploads(dir)).toEqual(['.upload-0123456789abcdef-old.csv.part']);
      expect((await readdir(dir)).sort()).toEqual(['.upload-fedcba9876543210-new.csv.part', 'kept.csv']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
