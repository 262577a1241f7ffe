// The process side of every role: graceful shutdown on SIGTERM/SIGINT, raced against SHUTDOWN_TIMEOUT_MS.
import { ConfigError, loadConfig, retiredVariableWarnings, type Config, type Logger } from '@autoconnect/config';

export interface RunningRole {
  close(): Promise<void>;
}

/**
 * Closes `role` on the first SIGTERM or SIGINT (stop taking jobs, finish the current one, close queues, quit
 * Redis) and exits 0, or exits 1 when closing takes longer than `timeoutMs`; a second signal exits at once.
 */
export function closeOnSignals(role: RunningRole, logger: Logger, timeoutMs: number): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    closing = true;
    logger.info({ signal, timeoutMs }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out: exiting with work unfinished');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    role.close().then(
      () => {
        clearTimeout(timer);
        logger.info('shut down cleanly');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Runs a role's main: start it, log start failures and exit non-zero, close it gracefully on signals. */
export async function runRole(
  name: string,
  logger: Logger,
  timeoutMs: number,
  start: () => Promise<RunningRole>,
): Promise<void> {
  try {
    const role = await start();
    closeOnSignals(role, logger, timeoutMs);
    logger.info(`${name} started`);
  } catch (err) {
    logger.fatal({ err }, `${name} could not start`);
    process.exit(1);
  }
}

/** loadConfig(env) for a main file: a bad variable stops the process with the message naming it, not a stack. */
export function loadConfigOrExit(env: Record<string, string | undefined>): Config {
  try {
    const config = loadConfig(env);
    for (const warning of retiredVariableWarnings(env)) process.stderr.write(`warning: ${warning}\n`);
    return config;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
