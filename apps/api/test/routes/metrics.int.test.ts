// GET /metrics against real Redis: a strict parse of the whole exposition, HTTP timings by route, queue job
// counts, and run counters that move once per ended run (runs are ended by hand, as the pipeline would).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger, loadConfig } from '@autoconnect/config';
import { RunStore, pipelineKeys, publishResults } from '@autoconnect/pipeline';
import { buildApp } from '../../src/app.js';
import { pollUntil } from '@autoconnect/testkit';
import { createTestApp, freshPrefix, type TestApp } from '../support/test-app.js';
import { parsePrometheusText, sampleValue, type Exposition } from '@autoconnect/testkit';
import { resultsFixture } from '../support/results-fixture.js';

const CSV = 'transaction_id,date,ville,type,modele,prix,duree_location_mois\nTX1,2023-01-14,Paris,vente,Peugeot 208,18990.00,\n';

let t: TestApp;
let store: RunStore;

async function scrape(): Promise<Exposition> {
  const res = await t.app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parsePrometheusText(res.body);
}

async function startRun(): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/process' });
  expect(res.statusCode).toBe(202);
  return (res.json() as { job_id: string }).job_id;
}

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  await writeFile(join(t.dataDir, 'transactions.csv'), CSV);
  store = new RunStore(t.redis, pipelineKeys(t.prefix));
});

afterAll(async () => {
  await t?.close();
});

describe('GET /metrics', () => {
  it('is valid Prometheus text with process, HTTP, run and queue families', async () => {
    await t.app.inject({ method: 'GET', url: '/health' });
    await t.app.inject({ method: 'GET', url: '/api/villes' });
    await t.app.inject({ method: 'GET', url: '/no/such/route' });
    const metrics = await scrape();
    expect(metrics.types.get('http_request_duration_seconds')).toBe('histogram');
    expect(metrics.types.get('autoconnect_runs_total')).toBe('counter');
    expect(metrics.types.get('autoconnect_rows_processed_total')).toBe('counter');
    expect(metrics.types.get('autoconnect_rows_rejected_total')).toBe('counter');
    expect(metrics.types.get('autoconnect_run_duration_seconds')).toBe('histogram');
    expect(metrics.types.get('autoconnect_queue_jobs')).toBe('gauge');
    expect(metrics.types.get('process_cpu_seconds_total')).toBe('counter');
    expect(metrics.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');

    const count = (route: string, status: string) =>
      sampleValue(metrics, 'http_request_duration_seconds_count', { method: 'GET', route, status_code: status });
    expect(count('/health', '200')).toBe(1);
    // No run yet: 404 "no results yet", labelled by the route pattern.
    expect(count('/api/villes', '404')).toBe(1);
    // Unknown paths share one label value, whatever the URL.
    expect(count('unmatched', '404')).toBe(1);
    expect(metrics.samples.some((s) => s.labels.route === '/no/such/route')).toBe(false);

    expect(sampleValue(metrics, 'autoconnect_pipeline_up')).toBe(1);
    expect(sampleValue(metrics, 'autoconnect_runs_total', { status: 'completed' })).toBe(0);
    expect(sampleValue(metrics, 'autoconnect_runs_total', { status: 'failed' })).toBe(0);
    expect(sampleValue(metrics, 'autoconnect_runs_total', { status: 'cancelled' })).toBe(0);
    for (const queue of ['split', 'map', 'aggregate']) {
      expect(sampleValue(metrics, 'autoconnect_queue_jobs', { queue, state: 'waiting' })).toBe(0);
    }
  });

  it('does not count runs that ended before the API started', async () => {
    const old = 'endedbeforestart';
    await store.create(old, 'transactions.csv', { now: new Date(Date.now() - 60_000) });
    await store.fail(old, 'ended long ago', {}, new Date(Date.now() - 30_000));
    const metrics = await scrape();
    expect(sampleValue(metrics, 'autoconnect_runs_total', { status: 'failed' })).toBe(0);
  });

  it('counts jobs by queue and state while a run waits', async () => {
    const runId = await startRun();
    const metrics = await scrape();
    // The flow: the aggregate parent waits for its children, the split child waits for an orchestrator.
    expect(sampleValue(metrics, 'autoconnect_queue_jobs', { queue: 'aggregate', state: 'waiting-children' })).toBe(1);
    expect(sampleValue(metrics, 'autoconnect_queue_jobs', { queue: 'split', state: 'waiting' })).toBe(1);
    expect(sampleValue(metrics, 'autoconnect_queue_jobs', { queue: 'map', state: 'waiting' })).toBe(0);
    await store.fail(runId, 'stopped by the test');
  });

  it('moves the run counters once per ended run, completed, failed or cancelled, however often it is seen', async () => {
    const before = await scrape();
    const failedBefore = sampleValue(before, 'autoconnect_runs_total', { status: 'failed' }) ?? 0;
    const processedBefore = sampleValue(before, 'autoconnect_rows_processed_total') ?? 0;

    const completed = await startRun();
    const results = resultsFixture();
    const published = await publishResults(t.redis, t.prefix, {
      runId: completed,
      results,
      rejected: { byReason: { invalid_date: 1, invalid_prix: 1 }, samples: [{ line: 3, reason: "invalid date '2023-13-01'" }] },
    });
    expect(published).toBe(true);
    const afterCompleted = await pollUntil(async () => {
      const m = await scrape();
      return sampleValue(m, 'autoconnect_runs_total', { status: 'completed' }) === 1 ? m : undefined;
    }, { what: 'the completed run to be counted' });
    expect(sampleValue(afterCompleted, 'autoconnect_rows_processed_total')).toBe(processedBefore + results.rows_valid + results.rows_rejected);
    expect(sampleValue(afterCompleted, 'autoconnect_rows_rejected_total', { reason: 'invalid_date' })).toBe(1);
    expect(sampleValue(afterCompleted, 'autoconnect_rows_rejected_total', { reason: 'invalid_prix' })).toBe(1);
    expect(sampleValue(afterCompleted, 'autoconnect_run_duration_seconds_count', { status: 'completed' })).toBe(1);

    const failed = await startRun();
    await store.fail(failed, 'too many rejected rows', { rows_valid: 10, rows_rejected: 30 });
    const afterFailed = await scrape();
    expect(sampleValue(afterFailed, 'autoconnect_runs_total', { status: 'failed' })).toBe(failedBefore + 1);
    expect(sampleValue(afterFailed, 'autoconnect_rows_processed_total')).toBe(processedBefore + results.rows_valid + results.rows_rejected + 40);

    const cancelled = await startRun();
    expect((await t.app.pipeline.cancelRun(cancelled)).outcome).toBe('cancelled');
    expect(sampleValue(await scrape(), 'autoconnect_runs_total', { status: 'cancelled' })).toBe(1);

    // Scraping again, or hearing the publication again, counts nothing twice.
    await t.redis.publish(pipelineKeys(t.prefix).resultsChannel, completed);
    const again = await scrape();
    expect(sampleValue(again, 'autoconnect_runs_total', { status: 'completed' })).toBe(1);
    expect(sampleValue(again, 'autoconnect_runs_total', { status: 'failed' })).toBe(failedBefore + 1);
    expect(sampleValue(again, 'autoconnect_run_duration_seconds_count', { status: 'failed' })).toBe(failedBefore + 1);
  });

  it('still answers without Redis, saying so in autoconnect_pipeline_up and leaving queue counts out', async () => {
    // Nothing listens on port 1.
    const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_PREFIX: freshPrefix(), LOG_LEVEL: 'silent' });
    const app = await buildApp({ config, logger: createLogger('api-test', 'silent') });
    try {
      await app.ready();
      const res = await app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      const metrics = parsePrometheusText(res.body);
      expect(sampleValue(metrics, 'autoconnect_pipeline_up')).toBe(0);
      expect(metrics.samples.filter((s) => s.name === 'autoconnect_queue_jobs')).toEqual([]);
      expect(sampleValue(metrics, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });
});
