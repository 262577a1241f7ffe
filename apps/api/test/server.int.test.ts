// startServer: listens for real, PROCESS_ON_START kicks off a run only when nothing is published or running,
// and close() stops the server and its connections.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createLogger, loadConfig } from '@autoconnect/config';
import { publishResults } from '@autoconnect/pipeline';
import { startServer } from '../src/server.js';
import { deleteKeys, freshPrefix, REDIS_URL } from './support/test-app.js';
import { freePort } from '@autoconnect/testkit';
import { resultsFixture } from './support/results-fixture.js';

const logger = createLogger('api-test', 'silent');
let redis: Redis;
let dataDir: string;
const prefixes: string[] = [];

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  dataDir = await mkdtemp(join(tmpdir(), 'autoconnect-server-'));
  await writeFile(join(dataDir, 'transactions.csv'), 'date,ville,type,modele,prix\n2023-01-01,Paris,vente,Clio,1\n');
});

afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(redis, prefix);
  await redis.quit();
  await rm(dataDir, { recursive: true, force: true });
});

async function configFor(env: Record<string, string>) {
  const prefix = freshPrefix();
  prefixes.push(prefix);
  const port = await freePort();
  const config = loadConfig({ REDIS_URL, REDIS_PREFIX: prefix, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'silent', ...env });
  return { config, prefix, base: `http://127.0.0.1:${port}` };
}

describe('startServer', () => {
  it('listens, starts a run on DATA_FILE with PROCESS_ON_START, and closes', async () => {
    const { config, prefix, base } = await configFor({ PROCESS_ON_START: 'true' });
    const server = await startServer(config, logger);
    let closed = false;
    try {
      const health = await fetch(`${base}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const active = await redis.get(`${prefix}:active-run`);
      expect(active).not.toBeNull();
      const jobs = (await (await fetch(`${base}/api/jobs`)).json()) as Array<{ job_id: string; source: string }>;
      expect(jobs).toEqual([expect.objectContaining({ job_id: active, source: 'transactions.csv' })]);
      await server.close();
      closed = true;
      await expect(fetch(`${base}/health`)).rejects.toThrow();
      await server.close(); // idempotent
    } finally {
      if (!closed) await server.close();
    }
  });

  it('does not start a run at start when results exist already', async () => {
    const { config, prefix } = await configFor({ PROCESS_ON_START: 'true' });
    await publishResults(redis, prefix, { runId: 'published1', results: resultsFixture() });
    const server = await startServer(config, logger);
    try {
      expect(await redis.get(`${prefix}:active-run`)).toBeNull();
      expect(await redis.zcard(`${prefix}:runs`)).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('does not start a run without PROCESS_ON_START', async () => {
    const { config, prefix } = await configFor({});
    const server = await startServer(config, logger);
    try {
      expect(await redis.get(`${prefix}:active-run`)).toBeNull();
    } finally {
      await server.close();
    }
  });
});
