// Redis did not answer a command in time, or cannot be reached: the request cannot be served now (503), and
// says why. Also recognises the client library's own errors for those cases.
import { ApiError } from './api-error.js';

/** ioredis's messages and error names for a command that never got an answer. */
const TIMED_OUT = 'Command timed out';
const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

export class RedisUnavailableError extends ApiError {
  readonly statusCode = 503;
  constructor(message: string) {
    super(message);
    this.name = 'RedisUnavailableError';
  }

  static timedOut(timeoutMs: number): RedisUnavailableError {
    return new RedisUnavailableError(`Redis did not answer within ${timeoutMs} ms (REDIS_COMMAND_TIMEOUT_MS); try again shortly`);
  }

  static unreachable(): RedisUnavailableError {
    return new RedisUnavailableError('Redis cannot be reached; try again shortly');
  }

  /** The 503 that `err` amounts to when it says Redis is silent, away or still loading; null otherwise. */
  static from(err: unknown, timeoutMs: number): RedisUnavailableError | null {
    if (err instanceof RedisUnavailableError) return err;
    if (!(err instanceof Error)) return null;
    if (err.message === TIMED_OUT) return RedisUnavailableError.timedOut(timeoutMs);
    const code = (err as NodeJS.ErrnoException).code;
    if (
      err.name === 'MaxRetriesPerRequestError' ||
      err.message === 'Connection is closed.' ||
      (code !== undefined && CONNECTION_ERRORS.has(code))
    ) {
      return RedisUnavailableError.unreachable();
    }
    if (err.message.startsWith('LOADING ')) return new RedisUnavailableError('Redis is loading its data after a restart; try again shortly');
    return null;
  }
}
