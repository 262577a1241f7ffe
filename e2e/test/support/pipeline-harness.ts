// Every role of the pipeline in the test process, on a fresh prefix and a temporary data folder.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createLogger, loadConfig, type Config } from '@autoconnect/config';
import { createPipelineClient, isFinalStatus, type PipelineClient, type RunReport, type RunningRole } from '@autoconnect/pipeline';
import { startOrchestrator } from '@autoconnect/orchestrator';
import { startWorker } from '@autoconnect/worker';
import { startAggregator } from '@autoconnect/aggregator';
import { deleteKeys, freshPrefix, pollUntil, REDIS_URL } from '@autoconnect/testkit';

export const logger = createLogger('test', 'silent');

export interface Harness {
  config: Config;
  dataDir: string;
  client: PipelineClient;
  redis: Redis;
  /** Starts a run and waits until it has ended (completed, failed or cancelled). */
  run(source: string, timeoutMs?: number): Promise<RunReport>;
  /** Starts a role that was not started with the harness. */
  startRole(role: HarnessRole): Promise<void>;
  close(): Promise<void>;
}

export type HarnessRole = 'aggregator' | 'worker' | 'orchestrator';

const starters = { aggregator: startAggregator, worker: startWorker, orchestrator: startOrchestrator };

/**
 * The roles named in `start` (all three by default) in this process; `startRole` starts one later, for tests that
 * act on a run between two of its steps (e.g. change its file after it was planned, before any worker reads it).
 */
export async function startHarness(
  env: Record<string, string> = {},
  dataDir?: string,
  start: readonly HarnessRole[] = ['aggregator', 'worker', 'orchestrator'],
): Promise<Harness> {
  const ownDir = dataDir ? null : await mkdtemp(join(tmpdir(), 'autoconnect-e2e-'));
  const dir = dataDir ?? ownDir!;
  const config = loadConfig({ REDIS_URL, REDIS_PREFIX: freshPrefix('e2e'), DATA_DIR: dir, LOG_LEVEL: 'silent', ...env });
  const roles: RunningRole[] = [];
  for (const role of start) roles.push(await starters[role](config, logger));
  const client = createPipelineClient(config, logger);
  const redis = new Redis(REDIS_URL);
  return {
    config,
    dataDir: dir,
    client,
    redis,
    async run(source, timeoutMs = 60_000) {
      const started = await client.startRun({ source });
      return waitForEnd(client, started.job_id, timeoutMs);
    },
    async startRole(role) {
      roles.push(await starters[role](config, logger));
    },
    async close() {
      await Promise.all(roles.map((role) => role.close()));
      await client.close();
      await redis.quit();
      await deleteKeys(config.REDIS_PREFIX);
      if (ownDir) await rm(ownDir, { recursive: true, force: true });
    },
  };
}

export function waitForEnd(client: PipelineClient, runId: string, timeoutMs = 60_000): Promise<RunReport> {
  return pollUntil(
    async () => {
      const report = await client.getRun(runId);
      return report && isFinalStatus(report.status) ? report : undefined;
    },
    { what: `run ${runId} to end`, timeoutMs },
  );
}
