// The process side of every role, the one runtime of the four mains and of `pnpm start`: the configuration read
// once, the role started, and closed with grace (close-with-grace) on a signal or an uncaught error.
import closeWithGrace from 'close-with-grace';
import { ConfigError, createLogger, loadConfig, retiredVariableWarnings, type Config, type Logger } from '@autoconnect/config';

export interface RunningRole {
  close(): Promise<void>;
}

/** How a role starts: what each role's package exports (`startWorker`, `startServer`…) and `runRole` runs. */
export type StartRole = (config: Config, logger: Logger) => Promise<RunningRole>;

/**
 * A role's main. A bad variable stops the process with one message naming it on stderr (exit 1). A role that
 * cannot start is said in one line (exit 1). On SIGTERM or SIGINT the role closes (stop taking jobs, finish the
 * current one, close queues, quit Redis) and the process exits 0, or 1 when closing takes longer than
 * SHUTDOWN_TIMEOUT_MS; a second signal exits 1 at once. An uncaught error is logged, then the role closes the
 * same way and the process exits 1.
 */
export async function runRole(name: string, start: StartRole, env: Record<string, string | undefined> = process.env): Promise<void> {
  const config = loadConfigOrExit(env);
  const logger = createLogger(name, config.LOG_LEVEL);
  const timeoutMs = config.SHUTDOWN_TIMEOUT_MS;
  let starting: Promise<RunningRole> | undefined;
  closeWithGrace(
    {
      delay: timeoutMs,
      logger,
      onSecondSignal: (signal) => logger.warn({ signal }, 'second signal: exiting now'),
      onTimeout: () => logger.error({ timeoutMs }, 'shutdown timed out: exiting with work unfinished'),
    },
    async ({ signal, err }) => {
      if (err) logger.error({ err }, 'uncaught error: shutting down');
      else logger.info({ signal, timeoutMs }, 'shutting down');
      // A signal during the start (the warm-up takes a moment) closes the role once it is up.
      const role = await starting?.catch(() => null);
      await role?.close();
      if (!err) logger.info('shut down cleanly');
    },
  );
  starting = start(config, logger);
  try {
    await starting;
    logger.info(`${name} started`);
  } catch (err) {
    // The port taken, Redis refusing the first commands…: said once, without a stack trace to read through.
    logger.fatal(`${name} could not start: ${err instanceof Error ? err.message : String(err)}`);
    logger.debug({ err }, 'the start failure in full');
    process.exit(1);
  }
}

/** loadConfig(env) for a main: a bad variable stops the process with the message naming it, not a stack. */
function loadConfigOrExit(env: Record<string, string | undefined>): Config {
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
