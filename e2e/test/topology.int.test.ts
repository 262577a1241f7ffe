// The deployment's process topology, without Docker: the exact commands and environment of the compose
// services, each role its own process against one Redis, complete the run that PROCESS_ON_START asks for;
// the API then serves what the reference reading of the file gives, and every role stops cleanly on SIGTERM
// within SHUTDOWN_TIMEOUT_MS (compose's stop_grace_period is longer).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '@autoconnect/config';
import { QueueName } from '@autoconnect/pipeline';
import type { ApiClient, RunReport } from '@autoconnect/api-client';
import { commandArgs, loadComposeFile, serviceEnvironment } from '../src/compose-file.js';
import { deleteKeys, freePort, pollUntil, SpawnedProcess } from '@autoconnect/testkit';
import { repoPath, repoRoot } from '../src/repo-paths.js';
import { isReferenceFailure, referenceCompute, type ReferenceOutcome } from '../../packages/core/test/support/reference.js';
import { apiClient } from './support/api-client.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `topology-${randomBytes(6).toString('hex')}`;
const compose = loadComposeFile();
/** Two workers: enough to show map jobs spread over processes; compose starts three. */
const WORKERS = 2;
const RUN_TIMEOUT_MS = 60_000;
// Jest reads testTimeout only from the global config, not from a project's: each test states its own.

const roles: SpawnedProcess[] = [];
let api: ApiClient;
let shutdownTimeoutMs = 0;

function describeRoles(): string {
  return roles.map((role) => `${role.name}: ${role.running ? 'running' : `exited ${role.child.exitCode ?? role.child.signalCode}`}\n${role.output(15)}`).join('\n');
}

beforeAll(async () => {
  const port = await freePort();
  api = apiClient(`http://127.0.0.1:${port}`);
  const start = (service: string, name: string) => {
    // What the container gets: the image's PATH and NODE_ENV, then compose's env_file and environment;
    // only the addresses differ (local Redis, a fresh prefix, a free port, the checkout's data/).
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      ...serviceEnvironment(compose.services[service]),
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      DATA_DIR: repoPath('data'),
      ...(service === 'api' ? { PORT: String(port) } : {}),
    };
    shutdownTimeoutMs = Math.max(shutdownTimeoutMs, loadConfig(env).SHUTDOWN_TIMEOUT_MS);
    roles.push(new SpawnedProcess(name, commandArgs(compose.services[service]), { cwd: repoRoot, env }));
  };
  start('orchestrator', 'orchestrator');
  for (let i = 1; i <= WORKERS; i += 1) start('worker', `worker-${i}`);
  start('aggregator', 'aggregator');
  start('api', 'api');
}, 30_000);

afterAll(async () => {
  await Promise.all(roles.map((role) => role.stop('SIGKILL', 5_000)));
  await deleteKeys(prefix, redisUrl);
}, 30_000);

describe('the compose roles as separate processes', () => {
  let run: RunReport;
  let expected: ReferenceOutcome;

  it('complete the run the API starts at start (PROCESS_ON_START)', async () => {
    const reference = referenceCompute(readFileSync(repoPath('data', 'transactions.csv')));
    if (isReferenceFailure(reference)) throw new Error(`the sample file does not process: ${reference.error}`);
    expected = reference;

    run = await pollUntil(
      async () => {
        const stopped = roles.find((role) => !role.running);
        if (stopped) throw new Error(`${stopped.name} exited\n${describeRoles()}`);
        // Until the API listens, the call fails: poll again.
        const answer = await api.listRuns().catch(() => null);
        const latest = answer?.data?.[0];
        if (latest?.status === 'failed') throw new Error(`the run failed: ${latest.error}\n${describeRoles()}`);
        return latest?.status === 'completed' ? latest : undefined;
      },
      { what: 'the run to complete', timeoutMs: RUN_TIMEOUT_MS, intervalMs: 200, seen: describeRoles },
    );

    expect(run.source).toBe(loadConfig(serviceEnvironment(compose.services.api)).DATA_FILE);
    expect(run.progress.rows_valid).toBe(expected.rowsValid);
    expect(run.progress.rows_rejected).toBe(expected.rowsRejected);
    expect(run.rejected.by_reason).toEqual(expected.rejectedByReason);
    expect(run.progress.chunks_done).toBe(run.progress.chunks_total);
  }, RUN_TIMEOUT_MS + 30_000);

  it('share the map queue between every worker process', async () => {
    const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const mapQueue = new Queue(QueueName.map, { connection, prefix });
    try {
      expect(await mapQueue.getWorkersCount()).toBe(WORKERS);
    } finally {
      await mapQueue.close();
      connection.disconnect();
    }
  }, 30_000);

  it('serve the results of that run, equal to the reference reading of the file', async () => {
    const villes = await api.listVilles();
    expect(villes.response.status).toBe(200);
    expect(villes.response.headers.get('x-run-id')).toBe(run.job_id);
    expect(villes.data?.villes).toEqual(expected.results.villes);

    const caMensuel = await api.getCaMensuel();
    expect(caMensuel.response.status).toBe(200);
    expect(caMensuel.data).toEqual(expected.results.ca_mensuel);

    const repartition = await api.getRepartition();
    expect(repartition.response.status).toBe(200);
    expect(repartition.data).toEqual(expected.results.repartition);

    const top = await api.getTopModeles({ params: { query: { limit: 100 } } });
    expect(top.response.status).toBe(200);
    const expectedTop = Object.fromEntries(Object.entries(expected.results.top_modeles).map(([ville, list]) => [ville, list.slice(0, 100)]));
    expect(top.data).toEqual(expectedTop);
  }, 30_000);

  it('stop on SIGTERM with exit code 0 within SHUTDOWN_TIMEOUT_MS', async () => {
    const exits = await Promise.all(roles.map(async (role) => [role.name, await role.stop('SIGTERM', shutdownTimeoutMs + 2_000)] as const));
    for (const [name, exit] of exits) expect([name, exit]).toEqual([name, { code: 0, signal: null }]);
  }, 60_000);
});
