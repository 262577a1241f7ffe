// A role's warm-up runs before it takes jobs, and once per process however many roles start in it (as
// `pnpm start` starts them all in one).
import { afterEach, describe, expect, it } from '@jest/globals';
import { createLogger, loadConfig } from '@autoconnect/config';
import { deleteKeys, freshPrefix, REDIS_URL } from '@autoconnect/testkit';
import { QueueName } from '../src/queue-names.js';
import { startRoleWorker } from '../src/role-worker.js';
import type { RunningRole } from '../src/role-process.js';

const logger = createLogger('test', 'silent');

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
      startRoleWorker<{ runId: string }, void>(config, logger, {
        name: `test-${queue}`,
        queue,
        concurrency: 1,
        warmUp,
        build() {
          calls.push(`build ${queue}`);
          return { processor: async () => undefined };
        },
      });
    running.push(await start(QueueName.map));
    running.push(await start(QueueName.split));
    expect(calls).toEqual(['warm-up', 'build map', 'build split']);
  });
});
