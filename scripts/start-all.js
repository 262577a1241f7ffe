#!/usr/bin/env node
// `pnpm start`: every role of the service in one Node process (API, orchestrator, worker, aggregator) against
// REDIS_URL, from the built packages (run `pnpm build` first). Each role closes gracefully on SIGTERM/SIGINT.
import { createLogger } from '../packages/config/dist/index.js';
import { closeOnSignals, loadConfigOrExit } from '../packages/pipeline/dist/index.js';
import { startOrchestrator } from '../apps/orchestrator/dist/index.js';
import { startWorker } from '../apps/worker/dist/index.js';
import { startAggregator } from '../apps/aggregator/dist/index.js';

const config = loadConfigOrExit(process.env);
const logger = createLogger('all', config.LOG_LEVEL);

const api = await import('../apps/api/dist/index.js').catch(() => ({}));
const starters = [
  ['aggregator', startAggregator],
  ['worker', startWorker],
  ['orchestrator', startOrchestrator],
  // The API starts last: with PROCESS_ON_START its first run finds every role ready.
  ...(typeof api.startServer === 'function' ? [['api', api.startServer]] : []),
];

const running = [];
try {
  for (const [name, start] of starters) {
    running.push({ name, role: await start(config, createLogger(name, config.LOG_LEVEL)) });
  }
} catch (err) {
  logger.fatal({ err }, 'could not start every role');
  await Promise.allSettled(running.map(({ role }) => role.close()));
  process.exit(1);
}

closeOnSignals(
  {
    // The API stops taking requests first, then the roles finish their current jobs in parallel.
    async close() {
      const apiRole = running.find(({ name }) => name === 'api');
      if (apiRole) await apiRole.role.close();
      await Promise.all(running.filter(({ name }) => name !== 'api').map(({ role }) => role.close()));
    },
  },
  logger,
  config.SHUTDOWN_TIMEOUT_MS,
);
logger.info({ roles: running.map(({ name }) => name) }, 'all roles started');
