// Builds the API for a test against the shared Redis: a fresh key prefix and DATA_DIR each time, both
// removed on close (only the keys under that prefix are deleted).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createLogger, loadConfig, type Config } from '@autoconnect/config';
import { buildApp, type App } from '../../src/app.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestApp {
  app: App;
  config: Config;
  prefix: string;
  dataDir: string;
  /** A plain connection for seeding and inspecting this test's keys. */
  redis: Redis;
  close(): Promise<void>;
}

export function freshPrefix(): string {
  return `test-api-${randomBytes(6).toString('hex')}`;
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

export async function createTestApp(
  env: Record<string, string> = {},
  options: Pick<BuildAppOptions, 'events'> = {},
): Promise<TestApp> {
  const prefix = freshPrefix();
  const dataDir = await mkdtemp(join(tmpdir(), 'autoconnect-api-'));
  const config = loadConfig({ REDIS_URL, REDIS_PREFIX: prefix, DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
  const app = await buildApp({ config, logger: createLogger('api-test', 'silent'), ...options });
  await app.ready();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  return {
    app,
    config,
    prefix,
    dataDir,
    redis,
    async close() {
      await app.close();
      await deleteKeys(redis, prefix);
      await redis.quit();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Listens on a free loopback port (for tests that need a real connection: streams, uploads); returns its base URL. */
export async function listen(app: App): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the app is not listening on a TCP port');
  return `http://127.0.0.1:${address.port}`;
}
