// A role's warm-up runs before it takes jobs, and once per process however many roles start in it (as
// `pnpm start` starts them all in one). A job reaches a role's processor only when its payload matches the job
// catalogue: a malformed one fails at once, not retried, with a message naming the queue, the job and what is
// wrong, and fails its run.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { createLogger, loadConfig, type Config } from '@autoconnect/config';
import { deleteKeys, freshPrefix, REDIS_URL } from '@autoconnect/testkit';
import { jobIds, type MapJobData } from '../src/job-catalogue.js';
import { childJobOptions } from '../src/job-options.js';
import { payloadProblems } from '../src/job-payload.js';
import { QueueName } from '../src/queue-names.js';
import { pipelineKeys } from '../src/redis-keys.js';
import { startRoleWorker } from '../src/role-worker.js';
import type { RunningRole } from '../src/role-process.js';
import { RunStore } from '../src/run-store.js';

const logger = createLogger('test', 'silent');

/** A map job's payload as the split sends it. */
const mapData = (runId: string): MapJobData => ({
  runId,
  source: 'a.csv',
  snapshot: { dev: 1, ino: 2, size: 100, mtimeMs: 3 },
  range: 0,
  start: 10,
  end: 100,
  startsAtRecord: true,
  encoding: 'utf-8',
  layouts: {
    'utf-8': {
      layout: {
        delimiter: ',',
        fieldCount: 7,
        columns: { transaction_id: 0, date: 1, ville: 2, type: 3, modele: 4, prix: 5, duree_location_mois: 6 },
        headerLine: 1,
      },
    },
    'windows-1252': { error: 'not read as Windows-1252' },
  },
  limits: { villes: 10, modeles: 10 },
  generation: 0,
});

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('startRoleWorker', () => {
  const prefix = freshPrefix('role-worker');
  const running: RunningRole[] = [];

  afterEach(async () => {
    await Promise.all(running.splice(0).map((role) => role.close()));
    await deleteKeys(prefix);
  });

  it('runs a warm-up once per process, before the worker takes jobs', async () => {
    const config = loadConfig({ REDIS_URL, REDIS_PREFIX: prefix });
    const calls: string[] = [];
    const warmUp = (): number => {
      calls.push('warm-up');
      return 1;
    };
    const start = (queue: QueueName) =>
      startRoleWorker(config, logger, {
        name: `test-${queue}`,
        queue,
        concurrency: 1,
        warmUp,
        build() {
          calls.push(`build ${queue}`);
          return {
            processor: async () => {
              throw new Error('no job is added in this test');
            },
          };
        },
      });
    running.push(await start(QueueName.map));
    running.push(await start(QueueName.split));
    expect(calls).toEqual(['warm-up', 'build map', 'build split']);
  });
});

describe('a job received by a role', () => {
  let config: Config;
  let redis: Redis;
  let runs: RunStore;
  let queue: Queue;
  let events: QueueEvents;
  let eventsConnection: Redis;
  let role: RunningRole;
  /** Payloads that reached the role's processor. */
  let processed: unknown[];

  beforeEach(async () => {
    config = loadConfig({ REDIS_URL, REDIS_PREFIX: freshPrefix('role-payload') });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    runs = new RunStore(redis, pipelineKeys(config.REDIS_PREFIX));
    queue = new Queue(QueueName.map, { connection: redis, prefix: config.REDIS_PREFIX });
    eventsConnection = redis.duplicate();
    events = new QueueEvents(QueueName.map, { connection: eventsConnection, prefix: config.REDIS_PREFIX });
    await events.waitUntilReady();
    processed = [];
    role = await startRoleWorker(config, logger, {
      name: 'test-map',
      queue: QueueName.map,
      concurrency: 1,
      build: () => ({
        processor: async (job) => {
          processed.push(job.data);
          if (job.data.source === 'flaky.csv') throw new Error('the disk hiccuped');
          return { range: job.data.range, rowsValid: 1, rowsRejected: 0, committed: true };
        },
      }),
    });
  });

  afterEach(async () => {
    await role.close();
    await events.close();
    // Neither close quits a connection it was given.
    await eventsConnection.quit();
    await queue.close();
    await redis.quit();
    await deleteKeys(config.REDIS_PREFIX);
  });

  /** Adds a map job as the split does (attempts, backoff), waits for its end and returns its final state. */
  async function settle(data: unknown, jobId: string) {
    const job = await queue.add(QueueName.map, data, { ...childJobOptions, backoff: { type: 'fixed', delay: 10 }, jobId });
    const outcome = await job.waitUntilFinished(events).then(
      (result: unknown) => ({ result, error: null }),
      (err: Error) => ({ result: null, error: err.message }),
    );
    const ended = await queue.getJob(jobId);
    return { ...outcome, attemptsMade: ended?.attemptsMade, state: ended ? await ended.getState() : 'removed' };
  }

  it('reaches the processor when its payload matches the job catalogue', async () => {
    await runs.create('goodRun', 'a.csv');
    const outcome = await settle(mapData('goodRun'), jobIds.map('goodRun', 0));
    expect(outcome.result).toEqual({ range: 0, rowsValid: 1, rowsRejected: 0, committed: true });
    expect(processed).toEqual([mapData('goodRun')]);
  });

  it('fails at once, not retried and never processed, naming the queue, the job and what is wrong; its run fails', async () => {
    await runs.create('badRun', 'a.csv');
    const { range: _range, ...withoutRange } = mapData('badRun');
    const data = { ...withoutRange, start: 'ten' };
    const jobId = jobIds.map('badRun', 0);
    const outcome = await settle(data, jobId);

    expect(outcome.state).toBe('failed');
    expect(outcome.attemptsMade).toBe(1);
    expect(processed).toEqual([]);
    expect(outcome.error).toMatch(new RegExp(`^map job ${jobId} was not run, its payload is malformed: `));
    expect(outcome.error).toContain('data must have required properties range');
    expect(outcome.error).toContain('data.start must be integer');
    await until('the run to be marked failed', async () => (await runs.status('badRun')) === 'failed');
    expect(await runs.get('badRun')).toMatchObject({ status: 'failed', error: outcome.error });
    expect(await runs.activeRunId()).toBeNull();
  });

  it('fails a payload that is not an object, and fails no run for a run id that is no run id', async () => {
    // Another run's scratch data, which a run id of '*' made into a key pattern (`<prefix>:run:*:*`) would reach.
    const bystanderPlan = pipelineKeys(config.REDIS_PREFIX).run('bystander').plan;
    await redis.set(bystanderPlan, '{}');
    const stray = await settle('just a string', 'stray-text');
    expect(stray).toMatchObject({ state: 'failed', attemptsMade: 1, error: 'map job stray-text was not run, its payload is malformed: data must be object' });
    const wild = await settle({ ...mapData('bystander'), runId: '*' }, 'wild-id');
    expect(wild.error).toMatch(/^map job wild-id was not run, its payload is malformed: data\.runId must match pattern/);
    // A later malformed job of a real run is handled after those two: by then they would have done their harm.
    await runs.create('laterRun', 'a.csv');
    const later = await settle({ ...mapData('laterRun'), generation: -1 }, jobIds.map('laterRun', 0));
    expect(later.error).toContain('data.generation must be >= 0');
    await until('the later run to be marked failed', async () => (await runs.status('laterRun')) === 'failed');
    expect(processed).toEqual([]);
    expect(await redis.get(bystanderPlan)).toBe('{}');
  });

  it('retries a job whose processor fails, and fails its run after the last attempt', async () => {
    await runs.create('flakyRun', 'flaky.csv');
    const outcome = await settle({ ...mapData('flakyRun'), source: 'flaky.csv' }, jobIds.map('flakyRun', 0));
    expect(outcome).toMatchObject({ state: 'failed', attemptsMade: childJobOptions.attempts, error: 'the disk hiccuped' });
    expect(processed).toHaveLength(childJobOptions.attempts!);
    await until('the run to be marked failed', async () => (await runs.status('flakyRun')) === 'failed');
    expect(await runs.get('flakyRun')).toMatchObject({ status: 'failed', error: 'the disk hiccuped' });
  });
});

describe('payloadProblems', () => {
  it('finds nothing wrong with the payloads the pipeline sends', () => {
    expect(payloadProblems(QueueName.map, mapData('r1'))).toEqual([]);
    expect(payloadProblems(QueueName.split, { runId: 'r1', source: 'a.csv' })).toEqual([]);
    expect(payloadProblems(QueueName.aggregate, { runId: 'r1' })).toEqual([]);
  });

  it('says where each problem is, a few of them at most', () => {
    expect(payloadProblems(QueueName.split, { runId: 'r1' })).toEqual(['data must have required properties source']);
    expect(payloadProblems(QueueName.aggregate, { runId: 'a:b' })).toEqual(['data.runId must match pattern "^[A-Za-z0-9_-]{1,64}$"']);
    expect(payloadProblems(QueueName.map, {}).length).toBeLessThanOrEqual(3);
    expect(payloadProblems(QueueName.map, null)).toEqual(['data must be object']);
  });
});
