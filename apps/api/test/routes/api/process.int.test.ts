// POST /api/process and the run reports, against real Redis (no pipeline roles run here: runs stay queued).
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, type TestApp } from '../../support/test-app.js';

const CSV = 'transaction_id,date,ville,type,modele,prix,duree_location_mois\nTX1,2023-01-14,Paris,vente,Peugeot 208,18990.00,\n';

let t: TestApp;
let outside: string;

async function post(payload?: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/api/process',
    headers: payload === undefined ? headers : { 'content-type': 'application/json', ...headers },
    payload: payload === undefined ? undefined : JSON.stringify(payload),
  });
}

/** Ends the active run by hand, as the pipeline would, so the next test may start one. */
async function releaseActiveRun(): Promise<void> {
  await t.redis.del(`${t.prefix}:active-run`);
}

beforeAll(async () => {
  // These tests post more often than a client may; the limit itself is checked below.
  t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  await writeFile(join(t.dataDir, 'transactions.csv'), CSV);
  await writeFile(join(t.dataDir, 'other.csv'), CSV);
  await writeFile(join(t.dataDir, 'empty.csv'), '');
  await writeFile(join(t.dataDir, 'notes.txt'), 'x');
  await mkdir(join(t.dataDir, 'sub'));
  await writeFile(join(t.dataDir, 'sub', 'nested.csv'), CSV);
  outside = await mkdtemp(join(tmpdir(), 'autoconnect-outside-'));
  await writeFile(join(outside, 'secret.csv'), CSV);
  await symlink(join(outside, 'secret.csv'), join(t.dataDir, 'escape.csv'));
  await symlink(join(outside, 'never-there.csv'), join(t.dataDir, 'gone.csv'));
  await symlink('/etc', join(t.dataDir, 'etc'));
});

afterEach(releaseActiveRun);

afterAll(async () => {
  await t.close();
  await rm(outside, { recursive: true, force: true });
});

describe('POST /api/process', () => {
  it('starts a run on DATA_FILE by default: 202, job_id, Location, a queued report', async () => {
    const res = await post();
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toEqual({ status: 'processing_started', job_id: expect.stringMatching(/^[A-Za-z0-9_-]+$/) });
    expect(res.headers.location).toBe(`/api/jobs/${body.job_id}`);

    const report = await t.app.inject({ method: 'GET', url: res.headers.location as string });
    expect(report.statusCode).toBe(200);
    expect(report.json()).toMatchObject({
      job_id: body.job_id,
      status: 'queued',
      source: 'transactions.csv',
      finished_at: null,
      duration_ms: null,
      progress: { percent: 0, chunks_done: 0 },
      rejected: { by_reason: {}, samples: [] },
    });
    expect(Number.isNaN(Date.parse(report.json().created_at))).toBe(false);
    expect(report.json()).not.toHaveProperty('error');
  });

  it('accepts a source inside DATA_DIR, and an empty JSON body as no body', async () => {
    const named = await post({ source: 'sub/nested.csv' });
    expect(named.statusCode).toBe(202);
    const report = await t.app.inject({ method: 'GET', url: `/api/jobs/${named.json().job_id}` });
    expect(report.json().source).toBe('sub/nested.csv');
    await releaseActiveRun();
    const empty = await t.app.inject({ method: 'POST', url: '/api/process', headers: { 'content-type': 'application/json' }, payload: '' });
    expect(empty.statusCode).toBe(202);
  });

  it('accepts a file that exists but cannot be processed (its run fails later)', async () => {
    expect((await post({ source: 'empty.csv' })).statusCode).toBe(202);
  });

  it('answers 409 with the active run id to the second of two simultaneous requests', async () => {
    const [a, b] = await Promise.all([post(), post({ source: 'other.csv' })]);
    const codes = [a.statusCode, b.statusCode].sort();
    expect(codes).toEqual([202, 409]);
    const accepted = a.statusCode === 202 ? a : b;
    const refused = a.statusCode === 409 ? a : b;
    expect(refused.json()).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: expect.stringContaining(accepted.json().job_id),
      job_id: accepted.json().job_id,
    });
    // Still refused while that run is active.
    expect((await post()).json().job_id).toBe(accepted.json().job_id);
  });

  it.each([
    ['/etc/passwd.csv', 'absolute'],
    [`${'/'}tmp/x.csv`, 'absolute'],
    ['../transactions.csv', '..'],
    ['sub/../../x.csv', '..'],
    ['notes.txt', '.csv'],
    ['transactions', '.csv'],
    ['escape.csv', 'outside DATA_DIR'],
    ['gone.csv', 'outside DATA_DIR'],
    ['etc/passwd.csv', 'invalid source'],
  ])('refuses source %j with 400 (%s)', async (source, reason) => {
    const res = await post({ source });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining(reason) });
    expect(await t.redis.get(`${t.prefix}:active-run`)).toBeNull();
  });

  it('answers a dangling link leading outside exactly as a live one: nothing tells whether the file exists', async () => {
    const live = await post({ source: 'escape.csv' });
    const dangling = await post({ source: 'gone.csv' });
    expect([live.statusCode, dangling.statusCode]).toEqual([400, 400]);
    expect(dangling.json().message).toBe(live.json().message.replace('escape.csv', 'gone.csv'));
  });

  it('answers 404 for a file that does not exist', async () => {
    const res = await post({ source: 'missing.csv' });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toContain("'missing.csv'");
  });

  it('refuses malformed bodies with 400 and oversized ones with 413', async () => {
    expect((await post({ sourc: 'transactions.csv' })).json().message).toContain("unknown body property 'sourc'");
    expect((await post({ source: 3 })).statusCode).toBe(400);
    expect((await post([])).statusCode).toBe(400);
    const broken = await t.app.inject({ method: 'POST', url: '/api/process', headers: { 'content-type': 'application/json' }, payload: '{"source":' });
    expect(broken.statusCode).toBe(400);
    const huge = await post({ source: `${'a'.repeat(20_000)}.csv` });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error).toBe('Payload Too Large');
  });
});

describe('GET /api/jobs', () => {
  it('answers 404 for unknown ids, including ids that are not run ids at all', async () => {
    for (const id of ['nope', 'run%3Aabc', 'abc%3Apartials', '%20', 'x'.repeat(90), '']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/jobs/${id}` });
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toBe('Not Found');
    }
  });

  it('lists recent runs newest first, limit 1..100', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await post();
      ids.push(res.json().job_id);
      await releaseActiveRun();
      // created_at has millisecond resolution: keep the order unambiguous.
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    const list = await t.app.inject({ method: 'GET', url: '/api/jobs' });
    expect(list.statusCode).toBe(200);
    const jobs = list.json() as Array<{ job_id: string; status: string }>;
    expect(jobs.length).toBeGreaterThanOrEqual(3);
    expect(jobs.slice(0, 3).map((j) => j.job_id)).toEqual([...ids].reverse());
    expect(jobs[0]).toHaveProperty('progress.percent');
    const two = await t.app.inject({ method: 'GET', url: '/api/jobs?limit=2' });
    expect(two.json()).toHaveLength(2);
    for (const limit of ['0', '101', 'x']) {
      expect((await t.app.inject({ method: 'GET', url: `/api/jobs?limit=${limit}` })).statusCode).toBe(400);
    }
  });
});
