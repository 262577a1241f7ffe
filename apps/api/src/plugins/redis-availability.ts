// Whether the API's Redis connection is up, so routes that need Redis answer 503 at once while it is lost
// instead of queueing commands that would run, unasked, once it is back; and which Redis server answers
// (INFO's run_id, new at each Redis start), so a run lost in a restart can be told from one deleted.
import fp from 'fastify-plugin';
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import type { Logger } from '@autoconnect/config';
import { RedisUnavailableError } from '../errors/redis-unavailable-error.js';

declare module 'fastify' {
  interface FastifyInstance {
    redisAvailability: RedisAvailability;
  }
}

export interface RedisAvailability {
  /** The connection was lost (closed, refused) and is not ready again yet. */
  readonly lost: boolean;
  /** run_id of the Redis server the connection last became ready on; null while unknown. */
  readonly serverId: string | null;
  /** preHandler: 503 at once while the connection is lost. */
  readonly requireConnection: preHandlerAsyncHookHandler;
  /**
   * preHandler: 503 unless Redis answers a PING within REDIS_COMMAND_TIMEOUT_MS. For routes that write: a
   * command sent to a Redis that is up but silent runs once it wakes, after the client was told 503, so
   * the write is sent only once Redis has just answered.
   */
  readonly requireAnswer: preHandlerAsyncHookHandler;
}

const RUN_ID_LINE = /^run_id:([0-9a-f]+)\s*$/m;

async function redisAvailabilityPlugin(app: FastifyInstance, options: { commandTimeoutMs: number; logger: Logger }): Promise<void> {
  const redis = app.pipeline.redis;
  let lost = redis.status === 'reconnecting' || redis.status === 'close' || redis.status === 'end';
  let serverId: string | null = null;

  const unavailable = (err: unknown) => RedisUnavailableError.from(err, options.commandTimeoutMs) ?? err;

  function readServerId(): void {
    serverId = null;
    redis.info('server').then(
      (info) => {
        serverId = RUN_ID_LINE.exec(info)?.[1] ?? null;
      },
      (err: unknown) => options.logger.debug({ err }, 'could not read the Redis server id'),
    );
  }
  const onReady = () => {
    if (lost) options.logger.info('redis connection is back');
    lost = false;
    readServerId();
  };
  const onClose = () => {
    lost = true;
  };
  redis.on('ready', onReady);
  redis.on('close', onClose);
  if (redis.status === 'ready') readServerId();
  app.addHook('onClose', async () => {
    redis.off('ready', onReady);
    redis.off('close', onClose);
  });

  const availability: RedisAvailability = {
    get lost() {
      return lost;
    },
    get serverId() {
      return serverId;
    },
    async requireConnection() {
      if (lost) throw RedisUnavailableError.unreachable();
    },
    async requireAnswer() {
      if (lost) throw RedisUnavailableError.unreachable();
      await redis.ping().catch((err: unknown) => {
        throw unavailable(err);
      });
    },
  };
  app.decorate('redisAvailability', availability);
}

export default fp(redisAvailabilityPlugin, { name: 'redis-availability', dependencies: ['pipeline'] });
