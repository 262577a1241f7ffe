// One way to make a logger: JSON lines on stdout, tagged with the role that writes them.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(role: string, level: string = 'info'): Logger {
  return pino({ name: role, level, base: { role } });
}
