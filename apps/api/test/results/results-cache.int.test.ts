// Results are read from Redis once per published run, then served from memory; a missed publication
// message is caught up by the periodic version check.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { createLogger, loadConfig } from '@autoconnect/config';
import { createPipelineClient, publishResults, type PipelineClient, type PublishedResults } from '@autoconnect/pipeline';
import { buildApp } from '../../src/app.js';
import { ResultsCache } from '../../src/results/results-cache.js';
import { pollUntil } from '@autoconnect/testkit';
import { deleteKeys, freshPrefix, REDIS_URL } from '../support/test-app.js';
import { resultsFixture } from '../support/results-fixture.js';

const logger = createLogger('api-test', 'silent');
const prefix = freshPrefix();
const config = loadConfig({ REDIS_URL, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent' });
let redis: Redis;
let client: PipelineClient;

beforeAll(() => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  client = createPipelineClient(config, logger);
});

afterAll(async () => {
  await client.close();
  await deleteKeys(redis, prefix);
  await redis.quit();
});

describe('results served from memory', () => {
  it('reads the published results from Redis once, whatever the number and variety of requests', async () => {
    let loads = 0;
    const counting: PipelineClient = Object.create(client, {
      getCurrentResults: {
        value: async () => {
          loads += 1;
          return client.getCurrentResults();
        },
      },
    });
    const app = await buildApp({ config, logger, pipeline: counting });
    try {
      await app.ready();
      await publishResults(redis, prefix, { runId: 'cacheRun1', results: resultsFixture() });
      await pollUntil(async () => ((await app.inject('/api/villes')).headers['x-run-id'] === 'cacheRun1' ? true : undefined), { what: 'run 1' });
      const urls = ['/api/villes', '/api/ca-mensuel', '/api/ca-mensuel?mois=2023-02', '/api/repartition?format=percentage', '/api/top-modeles?limit=2'];
      const bodies = new Map<string, string>();
      for (let round = 0; round < 20; round += 1) {
        for (const url of urls) {
          const res = await app.inject(url);
          expect(res.statusCode).toBe(200);
          if (bodies.has(url)) expect(res.body).toBe(bodies.get(url));
          bodies.set(url, res.body);
        }
      }
      expect(loads).toBe(1);
      // The run's results key can go: reads no longer need it.
      await redis.del(`${prefix}:results:cacheRun1`);
      expect((await app.inject('/api/top-modeles?ville=Lyon')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('catches up a publication whose message was missed, by the periodic version check', async () => {
    // A source whose pub/sub never fires: only the version check can notice the new run.
    const deaf = { currentRunId: () => client.currentRunId(), getCurrentResults: () => client.getCurrentResults(), onResultsPublished: () => () => undefined };
    const cache = new ResultsCache(deaf, logger, { maxVariants: 10, versionCheckMs: 50 });
    await publishResults(redis, prefix, { runId: 'cacheRun2', results: resultsFixture() });
    await cache.start();
    try {
      expect(cache.peek()?.runId).toBe('cacheRun2');
      const next = { ...resultsFixture(), villes: ['Lyon'] };
      await publishResults(redis, prefix, { runId: 'cacheRun3', results: next });
      await pollUntil(async () => (cache.peek()?.runId === 'cacheRun3' ? true : undefined), { what: 'the version check' });
      expect(cache.peek()?.results.villes).toEqual(['Lyon']);
    } finally {
      cache.stop();
    }
  });

  it('keeps a bounded number of serialised variants per run', async () => {
    const cache = new ResultsCache(client, logger, { maxVariants: 3, versionCheckMs: 60_000 });
    const view = await cache.current();
    expect(view).not.toBeNull();
    for (const mois of ['2023-01', '2023-02', '2023-03', '2023-04', '2023-05']) view!.body('ca-mensuel', [undefined, mois], () => ({ mois }));
    expect(view!.cachedVariants).toBe(3);
  });
});

describe('results that follow Redis', () => {
  /** A source whose answers the test sets: what Redis holds, or a Redis that does not answer. */
  function scriptedSource() {
    const state: { published: PublishedResults | null; failing: boolean } = { published: null, failing: false };
    const answer = <T>(value: () => T) => (state.failing ? Promise.reject(new Error('Command timed out')) : Promise.resolve(value()));
    return {
      state,
      source: {
        currentRunId: () => answer(() => state.published?.runId ?? null),
        getCurrentResults: () => answer(() => state.published),
        onResultsPublished: () => () => undefined,
      },
    };
  }
  const published = (runId: string): PublishedResults => ({ runId, publishedAt: new Date().toISOString(), results: resultsFixture() });

  it('drops the results Redis no longer holds, and keeps them while Redis does not answer', async () => {
    const { state, source } = scriptedSource();
    const cache = new ResultsCache(source, logger, { maxVariants: 10, versionCheckMs: 20 });
    state.published = published('followRun1');
    await cache.start();
    try {
      expect(cache.peek()?.runId).toBe('followRun1');
      // Silent Redis: every check fails, the results stay.
      state.failing = true;
      await expect(cache.refresh()).rejects.toThrow('Command timed out');
      expect(cache.peek()?.runId).toBe('followRun1');
      // Redis answers again, empty (restarted without persistence, or results:current deleted).
      state.failing = false;
      state.published = null;
      await pollUntil(async () => (cache.peek() === null ? true : undefined), { what: 'the results dropped' });
      expect(await cache.current()).toBeNull();
      // New results are picked up again.
      state.published = published('followRun2');
      await pollUntil(async () => (cache.peek()?.runId === 'followRun2' ? true : undefined), { what: 'new results' });
    } finally {
      cache.stop();
    }
  });
});
