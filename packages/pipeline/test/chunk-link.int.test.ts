// The chunk link against real Redis servers: bytes out and back unchanged, expiry, error replies, lost
// connections, the database and password of the URL.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { deleteKeys, freePort, freshPrefix, REDIS_URL, SpawnedProcess } from '@autoconnect/testkit';
import { ChunkLink, RedisReplyError } from '../src/index.js';

const MINUTE_MS = 60_000;

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
      await link.setBytes(key, bytes, MINUTE_MS);
      expect((await redis.getBuffer(key))!.equals(bytes)).toBe(true);
      const back = await link.getBytes(key);
      expect(back!.equals(bytes)).toBe(true);
    }
    expect(await link.getBytes(`${prefix}:absent`)).toBeNull();
  });

  it('keeps replies apart when many requests are made at once', async () => {
    const values = [...Array(40).keys()].map((i) => randomBytes(1000 + i * 5000));
    await Promise.all(values.map((bytes, i) => link.setBytes(`${prefix}:${i}`, bytes, MINUTE_MS)));
    expect(await Promise.all(values.map((_, i) => redis.strlen(`${prefix}:${i}`)))).toEqual(values.map((bytes) => bytes.length));
    // Each caller reads its view before awaiting anything, as the map step does.
    const seen = await Promise.all(values.map(async (_, i) => Buffer.from((await link.getBytes(`${prefix}:${i}`))!)));
    seen.forEach((bytes, i) => expect(bytes.equals(values[i])).toBe(true));
  });

  it('sets the expiry it is given', async () => {
    await link.setBytes(`${prefix}:ttl`, Buffer.from('soon gone'), 1500);
    const ttl = await redis.pttl(`${prefix}:ttl`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1500);
  });

  it('turns an error reply into a RedisReplyError and keeps working', async () => {
    await expect(link.setBytes(`${prefix}:bad-ttl`, Buffer.from('x'), -5)).rejects.toThrow(RedisReplyError);
    await expect(link.setBytes(`${prefix}:bad-ttl`, Buffer.from('x'), -5)).rejects.toThrow(/invalid expire time/);
    await link.setBytes(`${prefix}:after`, Buffer.from('ok'), MINUTE_MS);
    expect((await link.getBytes(`${prefix}:after`))!.toString()).toBe('ok');
  });

  it('opens a new connection after Redis dropped the old one', async () => {
    await link.setBytes(`${prefix}:a`, Buffer.from('one'), MINUTE_MS);
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
      await link5.setBytes(`${prefix}:db`, Buffer.from('in five'), MINUTE_MS);
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
      await link.setBytes('k', Buffer.from('secret bytes'), MINUTE_MS);
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
