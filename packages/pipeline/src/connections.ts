// The one place Redis connections are made: BullMQ workers wait out outages, producers fail fast,
// and every connection logs its errors instead of crashing the process with an unhandled 'error' event.
import { Redis, type RedisOptions } from 'ioredis';
import type { Config, Logger } from '@autoconnect/config';

/**
 * `worker`: for BullMQ Workers/QueueEvents and the roles' own commands; retries forever
 * (`maxRetriesPerRequest: null`, which BullMQ requires of blocking connections).
 * `producer`: for the API's queues and reads (BullMQ Queue and FlowProducer, which never block): a command
 * fails after one reconnection attempt, or after `REDIS_COMMAND_TIMEOUT_MS` without an answer (a Redis that
 * is up but silent), so a request gets an error instead of hanging; and a command that already failed that
 * way is not sent again after a reconnection (its caller has answered). `subscriber`: pub/sub, reconnects
 * forever.
 */
export type ConnectionKind = 'worker' | 'producer' | 'subscriber';

/** The command deadline of a producer whose configuration does not say (the schema's default). */
const DEFAULT_COMMAND_TIMEOUT_MS = 2_000;

export function createRedisConnection(
  config: Pick<Config, 'REDIS_URL'> & Partial<Pick<Config, 'REDIS_COMMAND_TIMEOUT_MS'>>,
  logger: Logger,
  kind: ConnectionKind,
  name?: string,
): Redis {
  const options: RedisOptions = {
    connectionName: name,
    maxRetriesPerRequest: kind === 'producer' ? 1 : null,
    connectTimeout: 5_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    // Never on the other kinds: BullMQ's blocking commands legitimately wait longer than any deadline.
    ...(kind === 'producer'
      ? { commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS ?? DEFAULT_COMMAND_TIMEOUT_MS, autoResendUnfulfilledCommands: false }
      : {}),
  };
  const redis = new Redis(config.REDIS_URL, options);
  let lastLogged = 0;
  redis.on('error', (err: Error) => {
    // A lost Redis raises an error per reconnection attempt: log at most one a second.
    const now = Date.now();
    if (now - lastLogged < 1_000) return;
    lastLogged = now;
    logger.error({ err, connection: name ?? kind }, 'redis connection error');
  });
  return redis;
}

/** Quits a connection, or drops it when Redis does not answer (quit would wait for a reply). */
export async function closeRedisConnection(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
