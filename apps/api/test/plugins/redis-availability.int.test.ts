// The API against a Redis of its own that falls silent (SIGSTOP), dies (connection refused) and comes back
// empty: requests that need Redis answer 503 within about REDIS_COMMAND_TIMEOUT_MS (at once when the
// connection is lost), the results held are served meanwhile, everything works again once Redis is back
// without restarting the API, and afterwards the results and the run reports follow what Redis holds.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createLogger, loadConfig } from '@autoconnect/config';
import { pipelineKeys, publishResults, type PipelineKeys } from '@autoconnect/pipeline';
import { buildApp, type App } from '../../src/app.js';
import { resultsFixture } from '../support/results-fixture.js';
import { pollUntil, PrivateRedis } from '@autoconnect/testkit';
import { freshPrefix } from '../support/test-app.js';

const COMMAND_TIMEOUT_MS = 500;
const CSV = 'transaction_id,date,ville,type,modele,prix,duree_location_mois\nTX1,2023-01-14,Paris,vente,Peugeot 208,18990.00,\n';

let redis: PrivateRedis;
let app: App;
let seeder: Redis;
let keys: PipelineKeys;
let dataDir: string;
const prefix = freshPrefix();

async function timed(method: 'GET' | 'POST', url: string) {
  const started = performance.now();
  const res = await app.inject({ method, url });
  return { res, ms: performance.now() - started };
}

function connectSeeder(): Redis {
  const connection = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  connection.on('error', () => undefined);
  return connection;
}

async function startRun(): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/process' });
  expect(res.statusCode).toBe(202);
  await seeder.del(keys.activeRun); // no pipeline runs here: free the slot as a run's end would
  return res.json().job_id as string;
}

beforeAll(async () => {
  redis = await PrivateRedis.start();
  dataDir = await mkdtemp(join(tmpdir(), 'autoconnect-faults-'));
  await writeFile(join(dataDir, 'transactions.csv'), CSV);
  const config = loadConfig({
    REDIS_URL: redis.url,
    REDIS_PREFIX: prefix,
    DATA_DIR: dataDir,
    REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'silent',
  });
  app = await buildApp({ config, logger: createLogger('api-test', 'silent') });
  await app.ready();
  keys = pipelineKeys(prefix);
  seeder = connectSeeder();
}, 30_000);

afterAll(async () => {
  redis.resume();
  await app.close();
  seeder.disconnect();
  await redis.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a Redis that stops answering (SIGSTOP), then answers again (SIGCONT)', () => {
  it(`answers 503 within about ${COMMAND_TIMEOUT_MS} ms, serves the results it holds, and recovers by itself`, async () => {
    await publishResults(seeder, prefix, { runId: 'silentRun', results: resultsFixture() });
    await pollUntil(async () => ((await app.inject('/api/villes')).headers['x-run-id'] === 'silentRun' ? true : undefined), { what: 'the results' });
    const runId = await startRun();

    redis.pause();
    const timedOut = `Redis did not answer within ${COMMAND_TIMEOUT_MS} ms (REDIS_COMMAND_TIMEOUT_MS); try again shortly`;
    for (const [method, url] of [
      ['GET', `/api/jobs/${runId}`],
      ['GET', '/api/jobs'],
      ['POST', '/api/process'],
      ['GET', '/api/status'],
    ] as const) {
      const { res, ms } = await timed(method, url);
      expect({ url, statusCode: res.statusCode, body: res.json() }).toEqual({
        url,
        statusCode: 503,
        body: { statusCode: 503, error: 'Service Unavailable', message: timedOut },
      });
      expect(ms).toBeGreaterThanOrEqual(COMMAND_TIMEOUT_MS * 0.9);
      expect(ms).toBeLessThan(COMMAND_TIMEOUT_MS * 2);
    }
    const ready = await timed('GET', '/ready');
    expect(ready.res.statusCode).toBe(503);
    expect(ready.ms).toBeLessThan(COMMAND_TIMEOUT_MS * 2);
    // More than two version checks of the results failed meanwhile: the results held are still served.
    for (const url of ['/api/villes', '/api/ca-mensuel?ville=paris', '/api/top-modeles?limit=1']) {
      const { res, ms } = await timed('GET', url);
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-run-id']).toBe('silentRun');
      expect(ms).toBeLessThan(100);
    }

    redis.resume();
    await pollUntil(async () => ((await app.inject('/ready')).statusCode === 200 ? true : undefined), { what: 'ready again' });
    const report = await app.inject(`/api/jobs/${runId}`);
    expect(report.statusCode).toBe(200);
    expect(report.json()).toMatchObject({ job_id: runId, status: 'queued' });
    // The POST answered 503 left nothing behind to run once Redis woke up: no run, no slot taken.
    expect(await seeder.get(keys.activeRun)).toBeNull();
    expect((await app.inject('/api/jobs')).json().map((run: { job_id: string }) => run.job_id)).toEqual([runId]);
    expect((await app.inject({ method: 'POST', url: '/api/process' })).statusCode).toBe(202);
    await seeder.del(keys.activeRun);
    expect((await app.inject('/api/status')).json()).toMatchObject({ current_run_id: 'silentRun' });
  }, 30_000);
});

describe('a Redis that goes away (connection refused), then comes back empty', () => {
  it('answers 503 at once while it is away; then the results and run reports follow what Redis holds', async () => {
    await pollUntil(async () => ((await app.inject('/api/villes')).statusCode === 200 ? true : undefined), { what: 'results held' });
    const kept = await startRun();
    const deleted = await startRun();
    await seeder.del(keys.run(deleted).report);
    await seeder.zrem(keys.runs, deleted);
    const deletedAnswer = await app.inject(`/api/jobs/${deleted}`);
    expect(deletedAnswer.statusCode).toBe(404);
    expect(deletedAnswer.json().message).toBe(
      `run '${deleted}' is no longer in Redis: this API saw it, but Redis no longer holds its report (it left the run history, or its keys were deleted); start a new run with POST /api/process`,
    );

    await redis.stopServer('SIGKILL');
    seeder.disconnect();
    const unreachable = 'Redis cannot be reached; try again shortly';
    await pollUntil(async () => ((await app.inject(`/api/jobs/${kept}`)).json().message === unreachable ? true : undefined), { what: 'the loss seen' });
    for (const [method, url] of [
      ['GET', `/api/jobs/${kept}`],
      ['GET', '/api/jobs'],
      ['POST', '/api/process'],
      ['GET', '/api/status'],
      ['GET', '/ready'],
    ] as const) {
      const { res, ms } = await timed(method, url);
      expect({ url, statusCode: res.statusCode }).toEqual({ url, statusCode: 503 });
      if (url !== '/ready') expect(res.json().message).toBe(unreachable);
      expect(ms).toBeLessThan(100);
    }
    expect((await app.inject('/api/villes')).statusCode).toBe(200);

    // Back, empty (no persistence): the API follows without a restart.
    await redis.startServer();
    seeder = connectSeeder();
    await pollUntil(async () => ((await app.inject('/ready')).statusCode === 200 ? true : undefined), { what: 'ready again', timeoutMs: 15_000 });
    await pollUntil(async () => ((await app.inject('/api/villes')).statusCode === 404 ? true : undefined), { what: 'the results dropped', timeoutMs: 5_000 });
    expect((await app.inject('/api/villes')).json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'no results yet' });
    expect((await app.inject('/api/status')).json()).toMatchObject({ current_run_id: null, active_run_id: null });
    const lost = await app.inject(`/api/jobs/${kept}`);
    expect(lost.statusCode).toBe(404);
    expect(lost.json().message).toBe(
      `run '${kept}' is no longer in Redis: this API saw it, but Redis restarted since then without keeping its data (no persistence), so the run's report and data are lost; start a new run with POST /api/process`,
    );
    expect((await app.inject('/api/jobs/neverSeenRun')).json().message).toBe("unknown job 'neverSeenRun'");
    expect((await app.inject({ method: 'POST', url: '/api/process' })).statusCode).toBe(202);
  }, 60_000);

  it('drops the results within about a second when results:current disappears, as /api/status says', async () => {
    await publishResults(seeder, prefix, { runId: 'laterRun', results: resultsFixture() });
    await pollUntil(async () => ((await app.inject('/api/villes')).headers['x-run-id'] === 'laterRun' ? true : undefined), { what: 'the results' });
    await seeder.del(keys.currentResults);
    const started = performance.now();
    await pollUntil(async () => ((await app.inject('/api/villes')).statusCode === 404 ? true : undefined), { what: 'the results dropped', timeoutMs: 5_000 });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect((await app.inject('/api/status')).json().current_run_id).toBeNull();
  });
});
