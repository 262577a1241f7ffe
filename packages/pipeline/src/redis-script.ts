// A Lua script run by its SHA (EVALSHA), loaded on first use or after Redis forgot it (NOSCRIPT).
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export type ScriptArg = string | number | Buffer;

export class RedisScript<Reply = unknown> {
  readonly sha: string;

  constructor(
    readonly name: string,
    readonly lua: string,
  ) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: ScriptArg[] = []): Promise<Reply> {
    try {
      return (await redis.evalsha(this.sha, keys.length, ...keys, ...args)) as Reply;
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) {
        return (await redis.eval(this.lua, keys.length, ...keys, ...args)) as Reply;
      }
      throw err;
    }
  }
}
