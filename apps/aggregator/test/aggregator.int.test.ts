// A parent failed by its child never runs its processor: the aggregator, which fails such parents, marks the run
// failed with the child's reason even when the child's own role could not (here: a bare worker without handler),
// and leaves nothing of the children behind in the failed parent.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { FlowProducer, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createLogger, loadConfig, type Config } from '@autoconnect/config';
import {
  aggregateJobOptions,
  childJobOptions,
  jobIds,
  pipelineKeys,
  QueueName,
  RunStore,
  type MapJobData,
  type RunningRole,
} from '@autoconnect/pipeline';
import { startAggregator } from '../src/aggregator.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('aggregator role', () => {
  let config: Config;
  let redis: Redis;
  let aggregator: RunningRole;

  beforeEach(async () => {
    config = loadConfig({ REDIS_URL, REDIS_PREFIX: `test-aggregator-${randomBytes(6).toString('hex')}`, LOG_LEVEL: 'silent' });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    aggregator = await startAggregator(config, createLogger('test', 'silent'));
  });

  afterEach(async () => {
    await aggregator.close();
    const keys = await redis.keys(`${config.REDIS_PREFIX}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it("marks the run failed with the failing map job's reason and frees the slot", async () => {
    const runs = new RunStore(redis, pipelineKeys(config.REDIS_PREFIX));
    await runs.create('run1', 'a.csv');
    const data = { runId: 'run1', range: 3, start: 0, end: 10 } as unknown as MapJobData;
    const bareConnection = redis.duplicate();
    const bare = new Worker(QueueName.map, async () => {
      throw new UnrecoverableError('boom');
    }, { connection: bareConnection, prefix: config.REDIS_PREFIX });
    const flows = new FlowProducer({ connection: redis, prefix: config.REDIS_PREFIX });
    try {
      await flows.add({
        name: QueueName.aggregate,
        queueName: QueueName.aggregate,
        data: { runId: 'run1' },
        opts: { ...aggregateJobOptions, jobId: jobIds.aggregate('run1') },
        children: [{ name: QueueName.map, queueName: QueueName.map, data, opts: { ...childJobOptions, jobId: jobIds.map('run1', 3) } }],
      });
      const deadline = Date.now() + 10_000;
      while ((await runs.status('run1')) !== 'failed') {
        if (Date.now() > deadline) throw new Error('the run was never marked failed');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(await runs.get('run1')).toMatchObject({ status: 'failed', error: 'boom' });
      expect(await runs.activeRunId()).toBeNull();
    } finally {
      await bare.close();
      await flows.close();
      await bareConnection.quit();
    }
  });

  it('removes the children still waiting of a failed parent and what it kept of the finished ones', async () => {
    const runs = new RunStore(redis, pipelineKeys(config.REDIS_PREFIX));
    await runs.create('run2', 'a.csv');
    const processed = `${config.REDIS_PREFIX}:aggregate:run2:processed`;
    const bareConnection = redis.duplicate();
    // Range 1 completes; range 3 fails for good once range 1's result is in the parent.
    const bare = new Worker(QueueName.map, async (job) => {
      if (job.data.range === 1) return { range: 1 };
      const deadline = Date.now() + 5_000;
      while ((await redis.hlen(processed)) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      throw new UnrecoverableError('boom');
    }, { connection: bareConnection, prefix: config.REDIS_PREFIX });
    const flows = new FlowProducer({ connection: redis, prefix: config.REDIS_PREFIX });
    const split = new Queue(QueueName.split, { connection: redis, prefix: config.REDIS_PREFIX });
    const aggregate = new Queue(QueueName.aggregate, { connection: redis, prefix: config.REDIS_PREFIX });
    const child = (range: number) => ({
      name: QueueName.map,
      queueName: QueueName.map,
      data: { runId: 'run2', range, start: 0, end: 10 } as unknown as MapJobData,
      opts: { ...childJobOptions, jobId: jobIds.map('run2', range) },
    });
    try {
      await flows.add({
        name: QueueName.aggregate,
        queueName: QueueName.aggregate,
        data: { runId: 'run2' },
        opts: { ...aggregateJobOptions, jobId: jobIds.aggregate('run2') },
        // No orchestrator runs here: the split stays waiting.
        children: [
          child(1),
          child(3),
          { name: QueueName.split, queueName: QueueName.split, data: { runId: 'run2', source: 'a.csv' }, opts: { ...childJobOptions, jobId: jobIds.split('run2') } },
        ],
      });
      const deadline = Date.now() + 10_000;
      while ((await aggregate.getJobState('run2')) !== 'failed' || (await redis.exists(processed)) === 1 || (await split.getJob(jobIds.split('run2')))) {
        if (Date.now() > deadline) throw new Error('the failed parent was never cleaned up');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(await runs.get('run2')).toMatchObject({ status: 'failed', error: 'boom' });
      expect((await aggregate.getJob('run2'))?.failedReason).toContain('failed');
    } finally {
      await bare.close();
      await Promise.all([flows.close(), split.close(), aggregate.close()]);
      await bareConnection.quit();
    }
  });
});
