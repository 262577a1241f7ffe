// The API as deployed (its own process, built entry point) over the real pipeline roles (in this process):
// a run started with POST /api/process completes, and every endpoint serves what the reference reading
// of the file gives; a file that cannot be processed is accepted, fails, and leaves the results alone.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTransactionsFile } from '@autoconnect/datagen';
import type { RunReport } from '@autoconnect/pipeline';
import { referencePercentages, type ReferenceOutcome } from '../../packages/core/test/support/reference.js';
import { pollUntil } from '../src/poll.js';
import type { SpawnedProcess } from '@autoconnect/testkit';
import { startApiProcess } from './support/api-process.js';
import { startHarness, type Harness } from './support/pipeline-harness.js';
import { expectedRejected, referenceOf } from './support/reference.js';

const TOKEN = 'e2e-admin-token';
const FILE = 'transactions-e2e.csv';

let dir: string;
let harness: Harness;
let api: SpawnedProcess;
let baseUrl: string;
let reference: ReferenceOutcome;

async function call(path: string, init: RequestInit = {}) {
  const response = await fetch(`${baseUrl}${path}`, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

function startRun(source: string) {
  return call('/api/process', {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ source }),
  });
}

async function runToEnd(location: string): Promise<RunReport> {
  let last: unknown;
  return pollUntil(
    async () => {
      const { body } = await call(location);
      last = body;
      const report = body as RunReport;
      return report.status === 'completed' || report.status === 'failed' ? report : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 50, describe: () => `last report ${JSON.stringify(last)}\n${api.output(20)}` },
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autoconnect-api-e2e-'));
  await writeTransactionsFile(join(dir, FILE), { rows: 4000, seed: 20, invalidRatio: 0.04 });
  await writeFile(join(dir, 'header-only.csv'), 'transaction_id,date,ville,type,modele,prix,duree_location_mois\n');
  reference = await referenceOf(join(dir, FILE));
  harness = await startHarness({ CHUNK_BYTES: '8192', WORKER_CONCURRENCY: '4' }, dir);
  ({ api, baseUrl } = await startApiProcess({ prefix: harness.config.REDIS_PREFIX, dataDir: dir, adminToken: TOKEN }));
}, 60_000);

afterAll(async () => {
  const exit = api ? await api.stop('SIGTERM', 10_000) : null;
  await harness?.close();
  await rm(dir, { recursive: true, force: true });
  // The API stops on SIGTERM by itself, cleanly.
  expect(exit).toEqual({ code: 0, signal: null });
}, 30_000);

describe('the API over the real pipeline', () => {
  let runId: string;

  it('answers no results yet before the first run', async () => {
    const res = await call('/api/villes');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'no results yet' });
  });

  it('runs a file started with POST /api/process to completion, with a complete report', async () => {
    expect((await call('/api/process', { method: 'POST' })).status).toBe(401);
    const started = await startRun(FILE);
    expect(started.status).toBe(202);
    runId = (started.body as { job_id: string }).job_id;
    expect(started.headers.get('location')).toBe(`/api/jobs/${runId}`);
    const report = await runToEnd(started.headers.get('location')!);
    expect(report.error).toBeUndefined();
    expect(report).toMatchObject({ job_id: runId, status: 'completed', source: FILE });
    expect(report.progress).toMatchObject({ percent: 100, rows_valid: reference.rowsValid, rows_rejected: reference.rowsRejected });
    expect(report.rejected).toEqual(expectedRejected(reference));
    const jobs = (await call('/api/jobs')).body as RunReport[];
    expect(jobs[0]).toEqual(report);
  }, 90_000);

  it('serves every endpoint exactly as the reference computes it', async () => {
    const expected = reference.results;
    // The API learns of the publication by pub/sub: the first read may come a moment before it.
    const villes = await pollUntil(
      async () => {
        const res = await call('/api/villes');
        return res.headers.get('x-run-id') === runId ? res : undefined;
      },
      { timeoutMs: 10_000, describe: () => 'the API to serve the run' },
    );
    expect(villes.body).toEqual({ villes: expected.villes });
    expect(expected.villes).toContain('Saint-Étienne');

    expect((await call('/api/ca-mensuel')).body).toEqual(expected.ca_mensuel);
    expect((await call('/api/repartition')).body).toEqual(expected.repartition);
    const percentage = (await call('/api/repartition?format=percentage')).body as Record<string, { vente: number; location: number }>;
    for (const ville of expected.villes) {
      expect(percentage[ville]).toEqual(referencePercentages(expected.repartition[ville]));
      expect(Math.round((percentage[ville].vente + percentage[ville].location) * 100)).toBe(10000);
    }
    const top5 = Object.fromEntries(expected.villes.map((v) => [v, expected.top_modeles[v].slice(0, 5)]));
    expect((await call('/api/top-modeles')).body).toEqual(top5);
    const top100 = Object.fromEntries(expected.villes.map((v) => [v, expected.top_modeles[v].slice(0, 100)]));
    expect((await call('/api/top-modeles?limit=100')).body).toEqual(top100);

    const months = [...new Set(Object.values(expected.ca_mensuel).flatMap((m) => Object.keys(m)))].sort();
    for (const mois of [months[0], months[months.length - 1]]) {
      const byCity = Object.fromEntries(expected.villes.map((v) => [v, { [mois]: expected.ca_mensuel[v][mois] ?? 0 }]));
      expect((await call(`/api/ca-mensuel?mois=${mois}`)).body).toEqual(byCity);
    }
    const loose = await call('/api/ca-mensuel?ville=saint-etienne');
    expect(loose.body).toEqual({ 'Saint-Étienne': expected.ca_mensuel['Saint-Étienne'] });
    const one = await call('/api/top-modeles?ville=PARIS&limit=3');
    expect(one.body).toEqual({ Paris: expected.top_modeles.Paris.slice(0, 3) });

    const etag = one.headers.get('etag')!;
    const again = await call('/api/top-modeles?ville=PARIS&limit=3', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('x-run-id')).toBe(runId);
  });

  it('accepts a file that cannot be processed, fails its run, and keeps serving the last results', async () => {
    const started = await startRun('header-only.csv');
    expect(started.status).toBe(202);
    const report = await runToEnd(started.headers.get('location')!);
    expect(report.status).toBe('failed');
    expect(report.error).toEqual(expect.any(String));
    const villes = await call('/api/villes');
    expect(villes.headers.get('x-run-id')).toBe(runId);
    expect(villes.body).toEqual({ villes: reference.results.villes });
  }, 90_000);

  it('shows the pipeline queues in Bull Board, behind Basic auth', async () => {
    expect((await call('/admin/queues/api/queues')).status).toBe(401);
    const basic = `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}`;
    const res = await call('/admin/queues/api/queues', { headers: { authorization: basic } });
    expect(res.status).toBe(200);
    const names = (res.body as { queues: Array<{ name: string }> }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['aggregate', 'map', 'split']);
  });
});
