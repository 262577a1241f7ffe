// One way to make a logger, tagged with the role that writes it: JSON lines for machines (containers, log
// collectors, pipes), readable lines when a person watches a terminal.
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export interface LoggerOptions {
  /** Readable lines instead of JSON; by default when stdout is a terminal (`pnpm start` in a shell). */
  pretty?: boolean;
}

export function createLogger(role: string, level: string = 'info', options: LoggerOptions = {}): Logger {
  const settings = { name: role, level, base: { role } };
  if (!(options.pretty ?? process.stdout.isTTY === true)) return pino(settings);
  // A stream in this thread, written synchronously: the last lines before process.exit are not lost, and no
  // worker thread is started, as a transport would.
  return pino(
    settings,
    pretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,role' }),
  );
}
