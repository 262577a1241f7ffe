// The roles as separate processes on one Redis, as containers run them (needs `pnpm build`): one worker is
// SIGKILLed while chunks are being mapped, its job is taken over once its lock expires, and the run still
// publishes exactly what the reference computes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { writeTransactionsFile } from '@autoconnect/datagen';
import { createPipelineClient, QueueName, type PipelineClient } from '@autoconnect/pipeline';
import { logger, waitForEnd } from './support/pipeline-harness.js';
import { deleteKeys, freshPrefix, REDIS_URL } from './support/redis-prefix.js';
import { expectedRejected, referenceOf } from './support/reference.js';
import { RoleProcess } from './support/role-process.js';
import { waitFor } from './support/wait-for.js';

describe('roles as separate processes', () => {
  const prefix = freshPrefix();
  const file = 'big.csv';
  let dir: string;
  let client: PipelineClient;
  const roles: RoleProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoconnect-processes-'));
    await writeTransactionsFile(join(dir, file), { rows: 150_000, seed: 11, invalidRatio: 0.02 });
    client = createPipelineClient({ REDIS_URL, REDIS_PREFIX: prefix }, logger);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(roles.map((role) => role.stop('SIGKILL')));
    await client.close();
    await deleteKeys(prefix);
    await rm(dir, { recursive: true, force: true });
  });

  it('completes with exact results although a worker is SIGKILLed mid-run', async () => {
    const env = {
      REDIS_URL,
      REDIS_PREFIX: prefix,
      DATA_DIR: dir,
      CHUNK_ROWS: '2000',
      WORKER_CONCURRENCY: '1',
      MAX_INFLIGHT_MB: '2',
      LOCK_DURATION_MS: '1500',
      SHUTDOWN_TIMEOUT_MS: '5000',
      LOG_LEVEL: 'warn',
    };
    roles.push(new RoleProcess('aggregator', env), new RoleProcess('orchestrator', env));
    const workers = [0, 1, 2].map(() => new RoleProcess('worker', env));
    roles.push(...workers);
    const queues = Object.fromEntries(
      [QueueName.split, QueueName.map, QueueName.aggregate].map((name) => [name, client.queues.find((q) => q.name === name)!]),
    ) as Record<QueueName, Queue>;
    await waitFor(
      'every role to connect',
      async () =>
        (await queues.map.getWorkersCount()) === 3 &&
        (await queues.split.getWorkersCount()) === 1 &&
        (await queues.aggregate.getWorkersCount()) === 1,
      20_000,
    );

    const reference = await referenceOf(join(dir, file));
    const run = await client.startRun({ source: file });
    await waitFor('chunks to be mapped', async () => {
      const report = await client.getRun(run.job_id);
      if (report?.status === 'completed' || report?.status === 'failed') throw new Error(`run ended before the kill: ${report.status}`);
      return (report?.progress.chunks_done ?? 0) >= 3;
    }, 30_000, 5);
    // Kill a worker while it holds a map job, so that job is only taken over once its lock expires.
    const victim = workers[0];
    const held = await waitFor('the first worker to hold a map job', async () => {
      const active = await queues.map.getActive();
      return active.find((job) => job.processedBy?.endsWith(`-${victim.pid}`)) ?? null;
    }, 30_000, 2);
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(held.data.runId).toBe(run.job_id);

    const report = await waitForEnd(client, run.job_id, 60_000);
    expect({ status: report.status, error: report.error }).toEqual({ status: 'completed', error: undefined });
    expect((await client.getCurrentResults())?.results).toEqual(reference.results);
    expect(report.progress).toMatchObject({ rows_valid: reference.rowsValid, rows_rejected: reference.rowsRejected });
    expect(report.progress.chunks_done).toBe(report.progress.chunks_total);
    expect(report.rejected).toEqual(expectedRejected(reference));

    // The others stop cleanly on SIGTERM.
    const exits = await Promise.all(roles.filter((role) => role !== workers[0]).map((role) => role.stop('SIGTERM')));
    expect(exits.every((exit) => exit.code === 0)).toBe(true);
  }, 120_000);
});
