// The chunk link against real Redis servers: bytes out and back unchanged, script loading, error replies,
// lost connections, the database and password of the URL.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { deleteKeys, freePort, freshPrefix, REDIS_URL, SpawnedProcess } from '@autoconnect/testkit';
import { ChunkLink, RedisReplyError, RedisScript } from '../src/index.js';

/** Stores its last argument at KEYS[1] and answers ARGV[1] + the stored length. */
const storeScript = new RedisScript<number>('storeTest', `redis.call('SET', KEYS[1], ARGV[2]) return tonumber(ARGV[1]) + string.len(ARGV[2])`);

describe('ChunkLink', () => {
  let redis: Redis;
  let link: ChunkLink;
  let prefix: string;

  beforeEach(() => {
    redis = new Redis(REDIS_URL);
    link = ChunkLink.like(redis, 'chunk-link-test');
    prefix = freshPrefix('chunk-link');
  });

  afterEach(async () => {
    link.close();
    redis.disconnect();
    await deleteKeys(prefix);
  });

  it('sends bytes from their own buffer and reads them back unchanged, whatever they hold', async () => {
    // Sizes around the socket's read size, and bytes that look like the protocol's own framing.
    for (const size of [0, 1, 2, 65_535, 65_536, 65_537, 3_000_001]) {
      const bytes = randomBytes(size);
      if (size > 10) bytes.write('\r\n$-1\r\n:7\r\n', 3, 'latin1');
      const key = `${prefix}:k${size}`;
      expect(await link.evalWithBytes(storeScript, [key], [5], bytes)).toBe(5 + size);
      expect((await redis.getBuffer(key))!.equals(bytes)).toBe(true);
      const back = await link.getBytes(key);
      expect(back!.equals(bytes)).toBe(true);
    }
    expect(await link.getBytes(`${prefix}:absent`)).toBeNull();
  });

  it('keeps replies apart when many requests are made at once', async () => {
    const values = [...Array(40).keys()].map((i) => randomBytes(1000 + i * 5000));
    const stored = await Promise.all(values.map((bytes, i) => link.evalWithBytes(storeScript, [`${prefix}:${i}`], [0], bytes)));
    expect(stored).toEqual(values.map((bytes) => bytes.length));
    // Each caller reads its view before awaiting anything, as the map step does.
    const seen = await Promise.all(values.map(async (_, i) => Buffer.from((await link.getBytes(`${prefix}:${i}`))!)));
    seen.forEach((bytes, i) => expect(bytes.equals(values[i])).toBe(true));
  });

  it('loads a script Redis does not know, then runs it', async () => {
    const fresh = new RedisScript<number>('fresh', `-- ${randomBytes(8).toString('hex')}\nreturn string.len(ARGV[1])`);
    expect(await redis.script('EXISTS', fresh.sha)).toEqual([0]);
    expect(await link.evalWithBytes(fresh, [], [], Buffer.from('abcdef'))).toBe(6);
    expect(await redis.script('EXISTS', fresh.sha)).toEqual([1]);
  });

  it('turns an error reply into a RedisReplyError and keeps working', async () => {
    const failing = new RedisScript<number>('failing', `return redis.error_reply('ERR chunk refused')`);
    await expect(link.evalWithBytes(failing, [], [], Buffer.from('x'))).rejects.toThrow(new RedisReplyError('ERR chunk refused'));
    const notInteger = new RedisScript<number>('notInteger', `return 'text'`);
    await expect(link.evalWithBytes(notInteger, [], [], Buffer.from('x'))).rejects.toThrow(/answered text, expected an integer/);
    expect(await link.evalWithBytes(storeScript, [`${prefix}:after`], [1], Buffer.from('ok'))).toBe(3);
  });

  it('opens a new connection after Redis dropped the old one', async () => {
    await link.evalWithBytes(storeScript, [`${prefix}:a`], [0], Buffer.from('one'));
    const killed = await redis.client('KILL', 'SKIPME', 'yes', 'TYPE', 'normal', 'ID', String(await linkClientId(redis)));
    expect(killed).toBe(1);
    // The drop may be seen by the next request or before it; either way the one after succeeds.
    await link.getBytes(`${prefix}:a`).catch(() => null);
    expect((await link.getBytes(`${prefix}:a`))!.toString()).toBe('one');
  });

  it('uses the database of the URL', async () => {
    const db5 = new Redis(`${REDIS_URL.replace(/\/\d*$/, '')}/5`);
    const link5 = ChunkLink.like(db5);
    try {
      await link5.evalWithBytes(storeScript, [`${prefix}:db`], [0], Buffer.from('in five'));
      expect(await redis.exists(`${prefix}:db`)).toBe(0);
      expect(await db5.get(`${prefix}:db`)).toBe('in five');
      expect((await link5.getBytes(`${prefix}:db`))!.toString()).toBe('in five');
      await db5.del(`${prefix}:db`);
    } finally {
      link5.close();
      db5.disconnect();
    }
  });

  it('fails a request when Redis is unreachable, with the address in the message', async () => {
    const port = await freePort();
    const nowhere = new Redis(`redis://127.0.0.1:${port}`, { lazyConnect: true });
    const lost = ChunkLink.like(nowhere);
    await expect(lost.getBytes('k')).rejects.toThrow(/ECONNREFUSED|127\.0\.0\.1/);
    lost.close();
    nowhere.disconnect();
  });

  it('refuses requests once closed', async () => {
    link.close();
    await expect(link.getBytes(`${prefix}:a`)).rejects.toThrow('chunk link closed');
  });
});

/** The id of the link's connection, found by its name. */
async function linkClientId(redis: Redis): Promise<number> {
  const list = (await redis.client('LIST')) as string;
  const line = list.split('\n').find((entry) => entry.includes('name=chunk-link-test'));
  if (!line) throw new Error('the link has no connection');
  return Number(/\bid=(\d+)/.exec(line)![1]);
}

describe('ChunkLink with a password', () => {
  let server: SpawnedProcess;
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    url = `redis://:s3cret@127.0.0.1:${port}/2`;
    server = new SpawnedProcess('redis-server', ['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--requirepass', 's3cret', '--save', '', '--appendonly', 'no'], { cwd: process.cwd(), env: { PATH: process.env.PATH ?? '' } });
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => 50 });
    for (let i = 0; i < 100; i++) {
      try {
        await probe.connect();
        break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    await probe.ping();
    probe.disconnect();
  });

  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
  });

  it('authenticates and selects the database like the ioredis connection it copies', async () => {
    const redis = new Redis(url);
    const link = ChunkLink.like(redis);
    try {
      expect(await link.evalWithBytes(storeScript, ['k'], [0], Buffer.from('secret bytes'))).toBe(12);
      expect(await redis.get('k')).toBe('secret bytes');
      expect((await link.getBytes('k'))!.toString()).toBe('secret bytes');
    } finally {
      link.close();
      redis.disconnect();
    }
  });

  it('fails with the server\'s answer when the password is wrong', async () => {
    const redis = new Redis(url.replace('s3cret', 'wrong'), { lazyConnect: true });
    const link = ChunkLink.like(redis);
    await expect(link.getBytes('k')).rejects.toThrow(/WRONGPASS|invalid password/i);
    link.close();
    redis.disconnect();
  });
});
