// The API as deployed (its own process, built entry point) over the real pipeline roles (in this process):
// a run started with POST /api/process completes, and every endpoint serves what the reference reading
// of the file gives; a file that cannot be processed is accepted, fails, and leaves the results alone.
// Every call goes through the generated client, each answer checked against the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTransactionsFile } from '@autoconnect/datagen';
import type { ApiClient, RunReport } from '@autoconnect/api-client';
import { referencePercentages, type ReferenceOutcome } from '../../packages/core/test/support/reference.js';
import { pollUntil, type SpawnedProcess } from '@autoconnect/testkit';
import { apiClient } from './support/api-client.js';
import { startApiProcess, stopApiStack } from './support/api-process.js';
import { startHarness, type Harness } from './support/pipeline-harness.js';
import { expectedRejected, referenceOf } from './support/reference.js';

const TOKEN = 'e2e-admin-token';
const FILE = 'transactions-e2e.csv';

let dir: string;
let harness: Harness;
let api: SpawnedProcess;
let baseUrl: string;
/** The generated client, with the admin token, and without. */
let admin: ApiClient;
let anonymous: ApiClient;
let reference: ReferenceOutcome;

function startRun(source: string) {
  return admin.startRun({ body: { source } });
}

/** The run's report once it ended; `location` is the Location of its 202, /api/jobs/<id>. */
async function runToEnd(location: string): Promise<RunReport> {
  const id = location.replace(/^\/api\/jobs\//, '');
  expect(`/api/jobs/${id}`).toBe(location);
  let last: unknown;
  return pollUntil(
    async () => {
      const { data: report } = await anonymous.getRun({ params: { path: { id } } });
      last = report;
      return report?.status === 'completed' || report?.status === 'failed' ? report : undefined;
    },
    { what: `run ${id} to end`, timeoutMs: 60_000, intervalMs: 50, seen: () => `last report ${JSON.stringify(last)}\n${api.output(20)}` },
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autoconnect-api-e2e-'));
  await writeTransactionsFile(join(dir, FILE), { rows: 4000, seed: 20, invalidRatio: 0.04 });
  await writeFile(join(dir, 'header-only.csv'), 'transaction_id,date,ville,type,modele,prix,duree_location_mois\n');
  reference = await referenceOf(join(dir, FILE));
  harness = await startHarness({ CHUNK_BYTES: '8192', WORKER_CONCURRENCY: '4' }, dir);
  ({ api, baseUrl } = await startApiProcess({ prefix: harness.config.REDIS_PREFIX, dataDir: dir, adminToken: TOKEN }));
  admin = apiClient(baseUrl, TOKEN);
  anonymous = apiClient(baseUrl);
}, 60_000);

afterAll(async () => {
  // The API stops on SIGTERM by itself, cleanly.
  expect(await stopApiStack({ api, harness, dir })).toEqual({ code: 0, signal: null });
}, 30_000);

describe('the API over the real pipeline', () => {
  let runId: string;

  it('answers no results yet before the first run', async () => {
    const { response, error } = await anonymous.listVilles();
    expect(response.status).toBe(404);
    expect(error).toEqual({ statusCode: 404, error: 'Not Found', message: 'no results yet' });
  });

  it('runs a file started with POST /api/process to completion, with a complete report', async () => {
    expect((await anonymous.startRun()).response.status).toBe(401);
    const started = await startRun(FILE);
    expect(started.response.status).toBe(202);
    runId = started.data!.job_id;
    expect(started.response.headers.get('location')).toBe(`/api/jobs/${runId}`);
    const report = await runToEnd(started.response.headers.get('location')!);
    expect(report.error).toBeUndefined();
    expect(report).toMatchObject({ job_id: runId, status: 'completed', source: FILE });
    expect(report.progress).toMatchObject({ percent: 100, rows_valid: reference.rowsValid, rows_rejected: reference.rowsRejected });
    expect(report.rejected).toEqual(expectedRejected(reference));
    const { data: jobs } = await anonymous.listRuns();
    expect(jobs![0]).toEqual(report);
  }, 90_000);

  it('serves every endpoint exactly as the reference computes it', async () => {
    const expected = reference.results;
    // The API learns of the publication by pub/sub: the first read may come a moment before it.
    const villes = await pollUntil(
      async () => {
        const res = await anonymous.listVilles();
        return res.response.headers.get('x-run-id') === runId ? res : undefined;
      },
      { what: 'the API to serve the run', timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(villes.data).toEqual({ villes: expected.villes });
    expect(expected.villes).toContain('Saint-Étienne');

    expect((await anonymous.getCaMensuel()).data).toEqual(expected.ca_mensuel);
    expect((await anonymous.getRepartition()).data).toEqual(expected.repartition);
    const percentage = (await anonymous.getRepartition({ params: { query: { format: 'percentage' } } })).data!;
    for (const ville of expected.villes) {
      expect(percentage[ville]).toEqual(referencePercentages(expected.repartition[ville]));
      expect(Math.round((percentage[ville].vente + percentage[ville].location) * 100)).toBe(10000);
    }
    const top5 = Object.fromEntries(expected.villes.map((v) => [v, expected.top_modeles[v].slice(0, 5)]));
    expect((await anonymous.getTopModeles()).data).toEqual(top5);
    const top100 = Object.fromEntries(expected.villes.map((v) => [v, expected.top_modeles[v].slice(0, 100)]));
    expect((await anonymous.getTopModeles({ params: { query: { limit: 100 } } })).data).toEqual(top100);

    const months = [...new Set(Object.values(expected.ca_mensuel).flatMap((m) => Object.keys(m)))].sort();
    for (const mois of [months[0], months[months.length - 1]]) {
      const byCity = Object.fromEntries(expected.villes.map((v) => [v, { [mois]: expected.ca_mensuel[v][mois] ?? 0 }]));
      expect((await anonymous.getCaMensuel({ params: { query: { mois } } })).data).toEqual(byCity);
    }
    const loose = await anonymous.getCaMensuel({ params: { query: { ville: 'saint-etienne' } } });
    expect(loose.data).toEqual({ 'Saint-Étienne': expected.ca_mensuel['Saint-Étienne'] });
    const paris = { params: { query: { ville: 'PARIS', limit: 3 } } };
    const one = await anonymous.getTopModeles(paris);
    expect(one.data).toEqual({ Paris: expected.top_modeles.Paris.slice(0, 3) });

    const etag = one.response.headers.get('etag')!;
    const again = await anonymous.getTopModeles({ ...paris, headers: { 'if-none-match': etag } });
    expect(again.response.status).toBe(304);
    expect(again.response.headers.get('x-run-id')).toBe(runId);
  });

  it('refuses bad parameters and unknown cities with the error answers the document lists', async () => {
    const limit = await anonymous.getTopModeles({ params: { query: { limit: 0 } } });
    expect(limit.response.status).toBe(400);
    expect(limit.error?.message).toContain('invalid query parameter limit="0"');
    const unknown = await anonymous.getRepartition({ params: { query: { ville: 'Nowhere' } } });
    expect(unknown.error).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: "unknown ville 'Nowhere': not in the current results (see GET /api/villes)",
    });
    expect((await anonymous.getRun({ params: { path: { id: 'NoSuchRun' } } })).error?.message).toBe("unknown job 'NoSuchRun'");
    const missing = await admin.startRun({ body: { source: 'ventes-2099.csv' } });
    expect([missing.response.status, missing.error?.message]).toEqual([404, "source 'ventes-2099.csv' not found in DATA_DIR"]);
    const outsideDataDir = await admin.startRun({ body: { source: '../ventes.csv' } });
    expect(outsideDataDir.response.status).toBe(400);
  });

  it('accepts a file that cannot be processed, fails its run, and keeps serving the last results', async () => {
    const started = await startRun('header-only.csv');
    expect(started.response.status).toBe(202);
    const report = await runToEnd(started.response.headers.get('location')!);
    expect(report.status).toBe('failed');
    expect(report.error).toEqual(expect.any(String));
    const villes = await anonymous.listVilles();
    expect(villes.response.headers.get('x-run-id')).toBe(runId);
    expect(villes.data).toEqual({ villes: reference.results.villes });
  }, 90_000);

  it('shows the pipeline queues in Bull Board, behind Basic auth', async () => {
    const basic = `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}`;
    // The page, as the document describes it.
    expect((await anonymous.getQueuesBoard({ parseAs: 'text' })).response.status).toBe(401);
    const page = await anonymous.getQueuesBoard({ parseAs: 'text', headers: { authorization: basic } });
    expect([page.response.status, page.data]).toEqual([200, expect.stringContaining('<html')]);
    // The board's own JSON API, which the document leaves to Bull Board.
    expect((await fetch(`${baseUrl}/admin/queues/api/queues`)).status).toBe(401);
    const res = await fetch(`${baseUrl}/admin/queues/api/queues`, { headers: { authorization: basic } });
    expect(res.status).toBe(200);
    const names = ((await res.json()) as { queues: Array<{ name: string }> }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['aggregate', 'map', 'split']);
  });
});
