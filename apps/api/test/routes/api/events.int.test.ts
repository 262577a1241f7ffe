// GET /api/events over a real connection and real Redis: the state first, a run's lifecycle as Redis tells it
// (started here or by another API instance), published results, heartbeats, and streams that end with the
// client or the server. The pipeline roles do not run here: a run ends when the test publishes its results.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger } from '@autoconnect/config';
import { publishResults } from '@autoconnect/pipeline';
import { EventStreamReader, pollUntil } from '@autoconnect/testkit';
import { buildApp } from '../../../src/app.js';
import { resultsFixture } from '../../support/results-fixture.js';
import { createTestApp, listen, type TestApp } from '../../support/test-app.js';

const CSV = 'transaction_id,date,ville,type,modele,prix,duree_location_mois\nTX1,2023-01-14,Paris,vente,Peugeot 208,18990.00,\n';

interface Status {
  auth_required: boolean;
  current_run_id: string | null;
  active_run_id: string | null;
}
interface Report {
  job_id: string;
  status: string;
  source: string;
  progress: { percent: number; chunks_done: number; chunks_total: number };
}

let t: TestApp;
let base: string;
const readers: EventStreamReader[] = [];

async function open(headers: Record<string, string> = {}): Promise<EventStreamReader> {
  const reader = await EventStreamReader.open(`${base}/api/events`, headers);
  readers.push(reader);
  return reader;
}

async function startRun(source = 'transactions.csv'): Promise<string> {
  const res = await fetch(`${base}/api/process`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source }) });
  expect(res.status).toBe(202);
  return ((await res.json()) as { job_id: string }).job_id;
}

beforeAll(async () => {
  t = await createTestApp({}, { processRateLimit: { max: 1_000, timeWindow: 60_000 }, events: { heartbeatMs: 50 } });
  await writeFile(join(t.dataDir, 'transactions.csv'), CSV);
  base = await listen(t.app);
});

afterAll(async () => {
  for (const reader of readers) reader.close();
  await t.close();
});

describe('GET /api/events', () => {
  it('opens with the state (status, reconnection delay), then keeps the stream alive with heartbeats', async () => {
    const stream = await open();
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.headers['cache-control']).toBe('no-cache');
    const first = await stream.waitFor(() => true, { what: 'the first event' });
    expect(first.event).toBe('status');
    expect(first.retry).toBe(2000);
    expect(JSON.parse(first.data)).toEqual({ auth_required: false, current_run_id: null, active_run_id: null });
    await pollUntil(async () => (stream.comments >= 2 ? true : undefined), { what: 'two heartbeat comments', timeoutMs: 5_000 });
    stream.close();
  });

  it("streams a run's lifecycle: created, ended, then its results published", async () => {
    const stream = await open();
    await stream.next('status');
    const runId = await startRun();
    const created = await stream.next<Report>('run.created', (r) => r.job_id === runId);
    expect(created).toMatchObject({ job_id: runId, status: 'queued', source: 'transactions.csv', progress: { percent: 0 } });

    // A client connecting now sees the run as active, with its report.
    const late = await open();
    expect(await late.next<Status>('status')).toMatchObject({ active_run_id: runId });
    expect(await late.next<Report>('run.progress')).toMatchObject({ job_id: runId, status: 'queued' });

    expect(await publishResults(t.redis, t.prefix, { runId, results: resultsFixture() })).toBe(true);
    const ended = await stream.next<Report>('run.ended', (r) => r.job_id === runId);
    expect(ended).toMatchObject({ job_id: runId, status: 'completed', progress: { percent: 100 } });
    const published = await stream.next<{ job_id: string; published_at: string }>('results.published', (p) => p.job_id === runId);
    expect(Number.isNaN(Date.parse(published.published_at))).toBe(false);
    // Announced once this API serves them.
    const villes = await fetch(`${base}/api/villes`);
    expect(villes.headers.get('x-run-id')).toBe(runId);
    await late.next('results.published', (p: { job_id: string }) => p.job_id === runId);

    // Each run event carries the run id, and the stream names each event once per change.
    const runEvents = stream.events.filter((e) => e.event.startsWith('run.')).map((e) => [e.event, JSON.parse(e.data).job_id]);
    expect(runEvents).toEqual([
      ['run.created', runId],
      ['run.ended', runId],
    ]);
    expect(await (await open()).next<Status>('status')).toMatchObject({ current_run_id: runId, active_run_id: null });
  });

  it('announces a run started through another API instance', async () => {
    const other = await buildApp({ config: t.config, logger: createLogger('other-api', 'silent') });
    try {
      const stream = await open();
      await stream.next('status');
      const res = await other.inject({ method: 'POST', url: '/api/process', payload: {} });
      expect(res.statusCode).toBe(202);
      const runId = res.json().job_id as string;
      await stream.next<Report>('run.created', (r) => r.job_id === runId);
      await publishResults(t.redis, t.prefix, { runId, results: resultsFixture() });
      await stream.next<Report>('run.ended', (r) => r.job_id === runId);
    } finally {
      await other.close();
    }
  });

  it('answers 406 to a client that refuses text/event-stream', async () => {
    const res = await fetch(`${base}/api/events`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(406);
    expect(await res.json()).toMatchObject({ statusCode: 406, error: 'Not Acceptable' });
  });

  it('stops following runs once its last client is gone', async () => {
    for (const reader of readers.splice(0)) reader.close();
    const stream = await open();
    await stream.next('status');
    expect(t.app.runEvents.listenerCount).toBe(1);
    stream.close();
    await pollUntil(async () => (t.app.runEvents.listenerCount === 0 ? true : undefined), { what: 'the listener to leave' });
    expect(t.app.runEvents.isWatching).toBe(false);
  });

  it('ends open streams when the app closes, without waiting for their clients', async () => {
    const closing = await createTestApp();
    const url = await listen(closing.app);
    const stream = await EventStreamReader.open(`${url}/api/events`);
    await stream.next('status');
    const started = Date.now();
    await closing.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    await stream.ended;
    expect(stream.isEnded).toBe(true);
  });
});
