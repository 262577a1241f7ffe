// Every role of the service in one process, as `pnpm start` runs them on a machine without Docker: each role
// the same code as its container, with its own logger, against one Redis.
import { createLogger, type Config } from '@autoconnect/config';
import type { RunningRole, StartRole } from '@autoconnect/pipeline';
import { startAggregator } from '@autoconnect/aggregator';
import { startServer } from '@autoconnect/api';
import { startOrchestrator } from '@autoconnect/orchestrator';
import { startWorker } from '@autoconnect/worker';

/** In start order: the API last, so that the run PROCESS_ON_START asks for finds every role ready. */
const ROLES: ReadonlyArray<readonly [name: string, start: StartRole]> = [
  ['aggregator', startAggregator],
  ['worker', startWorker],
  ['orchestrator', startOrchestrator],
  ['api', startServer],
];

/**
 * Starts every role, each with its own logger (runRole then says `all started`); if one cannot start, closes
 * those already up and throws. Closing stops the API first (no new run, no new request), then lets the
 * pipeline roles finish their current jobs in parallel.
 */
export async function startAllRoles(config: Config): Promise<RunningRole> {
  const running: Array<{ name: string; role: RunningRole }> = [];
  try {
    for (const [name, start] of ROLES) {
      const roleLogger = createLogger(name, config.LOG_LEVEL);
      running.push({ name, role: await start(config, roleLogger) });
      roleLogger.info(`${name} started`);
    }
  } catch (err) {
    await Promise.allSettled(running.map(({ role }) => role.close()));
    throw err;
  }
  const api = running.filter(({ name }) => name === 'api');
  const pipelineRoles = running.filter(({ name }) => name !== 'api');
  let closing: Promise<void> | null = null;
  return {
    close: () =>
      (closing ??= (async () => {
        await Promise.all(api.map(({ role }) => role.close()));
        await Promise.all(pipelineRoles.map(({ role }) => role.close()));
      })()),
  };
}
