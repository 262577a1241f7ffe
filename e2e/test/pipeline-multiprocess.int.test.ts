// The roles as separate processes on one Redis, as containers run them (needs `pnpm build`): one of eight workers,
// the orchestrator or the aggregator is SIGKILLed while it holds a job; the job is taken over once its lock expires,
// and the run still publishes exactly what the reference computes, nothing counted twice.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queue } from 'bullmq';
import { writeTransactionsFile } from '@autoconnect/datagen';
import { createPipelineClient, QueueName, type PipelineClient } from '@autoconnect/pipeline';
import { logger, waitForEnd } from './support/pipeline-harness.js';
import { deleteKeys, freshPrefix, pollUntil, REDIS_URL } from '@autoconnect/testkit';
import { expectedRejected, referenceOf } from './support/reference.js';
import type { ReferenceOutcome } from '../../packages/core/test/support/reference.js';
import type { SpawnedProcess } from '@autoconnect/testkit';
import { startRole } from './support/role-process.js';

/** Longer than the roles' SHUTDOWN_TIMEOUT_MS (5 s here): a role still running after it has hung. */
const STOP_TIMEOUT_MS = 15_000;
/** Ten role processes warming up at once on a busy two-core machine took 16 s to listen on their queues. */
const CONNECT_TIMEOUT_MS = 60_000;

describe('roles as separate processes', () => {
  const prefix = freshPrefix('e2e');
  const file = 'big.csv';
  let dir: string;
  let client: PipelineClient;
  let reference: ReferenceOutcome;
  const roles: SpawnedProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoconnect-processes-'));
    await writeTransactionsFile(join(dir, file), { rows: 100_000, seed: 11, invalidRatio: 0.02 });
    reference = await referenceOf(join(dir, file));
    client = createPipelineClient({ REDIS_URL, REDIS_PREFIX: prefix }, logger);
  }, 60_000);

  // A test that failed half-way leaves its roles running: stop them, so the next test counts only its own.
  afterEach(async () => {
    await Promise.all(roles.splice(0).map((role) => role.stop('SIGKILL', STOP_TIMEOUT_MS)));
    await pollUntil(
      async () => ((await Promise.all(client.queues.map((q) => q.getWorkersCount()))).every((count) => count === 0) ? true : undefined),
      { what: 'the stopped roles to leave Redis', timeoutMs: STOP_TIMEOUT_MS },
    );
  }, 2 * STOP_TIMEOUT_MS);

  afterAll(async () => {
    await client.close();
    await deleteKeys(prefix);
    await rm(dir, { recursive: true, force: true });
  });

  const envFor = (): Record<string, string> => ({
      REDIS_URL,
      REDIS_PREFIX: prefix,
      DATA_DIR: dir,
      CHUNK_BYTES: '65536',
      WORKER_CONCURRENCY: '1',
      LOCK_DURATION_MS: '1500',
      SHUTDOWN_TIMEOUT_MS: '5000',
      LOG_LEVEL: 'warn',
  });
  const queue = (name: QueueName): Queue => client.queues.find((q) => q.name === name)!;

  it('completes with exact results although one of eight workers is SIGKILLed mid-run', async () => {
    const env = envFor();
    roles.push(startRole('aggregator', env), startRole('orchestrator', env));
    const workers = Array.from({ length: 8 }, () => startRole('worker', env));
    roles.push(...workers);
    await pollUntil(
      async () =>
        (await queue(QueueName.map).getWorkersCount()) === 8 &&
        (await queue(QueueName.split).getWorkersCount()) === 1 &&
        (await queue(QueueName.aggregate).getWorkersCount()) === 1
          ? true
          : undefined,
      { what: 'every role to connect', timeoutMs: CONNECT_TIMEOUT_MS },
    );

    const run = await client.startRun({ source: file });
    await pollUntil(async () => {
      const report = await client.getRun(run.job_id);
      if (report?.status === 'completed' || report?.status === 'failed') throw new Error(`run ended before the kill: ${report.status}`);
      return (report?.progress.chunks_done ?? 0) >= 3 ? true : undefined;
    }, { what: 'ranges to be mapped', timeoutMs: 30_000, intervalMs: 5 });
    // Kill a worker while it holds a map job, so that job is only taken over once its lock expires. Any of the
    // eight: which of them BullMQ hands the jobs to is its own affair.
    const { victim, held } = await pollUntil(async () => {
      const report = await client.getRun(run.job_id);
      if (report?.status === 'completed' || report?.status === 'failed') throw new Error(`run ended before the kill: ${report.status}`);
      for (const job of await queue(QueueName.map).getActive()) {
        const holder = workers.find((worker) => job.processedBy?.endsWith(`-${worker.pid}`));
        if (holder) return { victim: holder, held: job };
      }
      return undefined;
    }, { what: 'a worker to hold a map job', timeoutMs: 30_000, intervalMs: 2 });
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
    const exits = await Promise.all(roles.splice(0).filter((role) => role !== victim).map((role) => role.stop('SIGTERM', STOP_TIMEOUT_MS)));
    expect(exits.every((exit) => exit?.code === 0)).toBe(true);
  }, 180_000);

  it('completes with exact results although the orchestrator is SIGKILLed while it adds map jobs (a second one restarts it)', async () => {
    // Thousands of 1 KiB ranges keep the split adding jobs long enough to be killed half-way.
    const env = { ...envFor(), CHUNK_BYTES: '1024' };
    const orchestrators = [startRole('orchestrator', env), startRole('orchestrator', env)];
    roles.push(startRole('aggregator', env), ...orchestrators, startRole('worker', env), startRole('worker', env));
    await pollUntil(
      async () =>
        (await queue(QueueName.map).getWorkersCount()) === 2 &&
        (await queue(QueueName.split).getWorkersCount()) === 2 &&
        (await queue(QueueName.aggregate).getWorkersCount()) === 1
          ? true
          : undefined,
      { what: 'every role to connect', timeoutMs: CONNECT_TIMEOUT_MS },
    );
    const run = await client.startRun({ source: file });
    const splitter = await pollUntil(async () => {
      if ((await queue(QueueName.map).getJobCountByTypes('waiting', 'active', 'completed', 'failed', 'delayed')) < 100) return undefined;
      const [job] = await queue(QueueName.split).getActive();
      return orchestrators.find((role) => job?.processedBy?.endsWith(`-${role.pid}`));
    }, { what: 'the split to be adding map jobs', timeoutMs: 30_000, intervalMs: 2 });
    splitter.child.kill('SIGKILL');
    await splitter.exited;
    // Killed before it had added every job: the parent still waits on the split.
    expect((await client.getRun(run.job_id))?.status).toBe('mapping');

    const report = await waitForEnd(client, run.job_id, 60_000);
    expect({ status: report.status, error: report.error }).toEqual({ status: 'completed', error: undefined });
    expect((await client.getCurrentResults())?.results).toEqual(reference.results);
    // The restarted split added the same jobs again (same ids): nothing counted twice.
    expect(report.progress).toMatchObject({ rows_valid: reference.rowsValid, rows_rejected: reference.rowsRejected });
    expect(report.progress.chunks_done).toBe(report.progress.chunks_total);
    const exits = await Promise.all(roles.splice(0).filter((role) => role !== splitter).map((role) => role.stop('SIGTERM', STOP_TIMEOUT_MS)));
    expect(exits.every((exit) => exit?.code === 0)).toBe(true);
  }, 180_000);

  it('completes with exact results although the aggregator is SIGKILLed while reducing (a second one takes over)', async () => {
    // Thousands of 1 KiB ranges make the reduce long enough (thousands of partials to read) to be caught half-way.
    const env = { ...envFor(), CHUNK_BYTES: '1024', WORKER_CONCURRENCY: '8' };
    const aggregators = [startRole('aggregator', env), startRole('aggregator', env)];
    roles.push(...aggregators, startRole('orchestrator', env), startRole('worker', env));
    await pollUntil(
      async () =>
        (await queue(QueueName.map).getWorkersCount()) === 1 &&
        (await queue(QueueName.split).getWorkersCount()) === 1 &&
        (await queue(QueueName.aggregate).getWorkersCount()) === 2
          ? true
          : undefined,
      { what: 'every role to connect', timeoutMs: CONNECT_TIMEOUT_MS },
    );
    const run = await client.startRun({ source: file });
    const reducer = await pollUntil(async () => {
      const report = await client.getRun(run.job_id);
      if (report?.status === 'completed') throw new Error('the run completed before the aggregator could be killed');
      if (report?.status !== 'reducing') return undefined;
      const [job] = await queue(QueueName.aggregate).getActive();
      return aggregators.find((role) => job?.processedBy?.endsWith(`-${role.pid}`));
    }, { what: 'the reduce to be under way', timeoutMs: 60_000, intervalMs: 1 });
    reducer.child.kill('SIGKILL');
    await reducer.exited;

    const report = await waitForEnd(client, run.job_id, 60_000);
    expect({ status: report.status, error: report.error }).toEqual({ status: 'completed', error: undefined });
    expect((await client.getCurrentResults())?.results).toEqual(reference.results);
    expect(report.progress).toMatchObject({ rows_valid: reference.rowsValid, rows_rejected: reference.rowsRejected });
    expect(report.rejected).toEqual(expectedRejected(reference));
    const exits = await Promise.all(roles.splice(0).filter((role) => role !== reducer).map((role) => role.stop('SIGTERM', STOP_TIMEOUT_MS)));
    expect(exits.every((exit) => exit?.code === 0)).toBe(true);
  }, 180_000);
});
