// Liveness, readiness against a live and a missing Redis, and 5xx answers that reveal nothing.
import { describe, expect, it } from '@jest/globals';
import { createLogger, loadConfig } from '@autoconnect/config';
import { createPipelineClient, type PipelineClient } from '@autoconnect/pipeline';
import { buildApp } from '../../src/app.js';
import { Redis } from 'ioredis';
import { createTestApp, deleteKeys, freshPrefix, REDIS_URL } from '../support/test-app.js';

const logger = createLogger('api-test', 'silent');

describe('GET /health and /ready', () => {
  it('answer ok and ready while Redis answers', async () => {
    const t = await createTestApp();
    try {
      expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
      const ready = await t.app.inject({ method: 'GET', url: '/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready' });
    } finally {
      await t.close();
    }
  });

  it('/ready answers 503 when Redis does not, while /health stays ok', async () => {
    // Nothing listens on port 1.
    const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_PREFIX: freshPrefix(), LOG_LEVEL: 'silent' });
    const app = await buildApp({ config, logger });
    try {
      await app.ready();
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      const ready = await app.inject({ method: 'GET', url: '/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'redis is not answering', status: 'unavailable' });
      // Reads that need Redis answer 503 and say why, without internals.
      for (const url of ['/api/villes', '/api/jobs', '/api/jobs/abc', '/api/status']) {
        const read = await app.inject({ method: 'GET', url });
        expect(read.statusCode).toBe(503);
        expect(read.json()).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'Redis cannot be reached; try again shortly' });
      }
    } finally {
      await app.close();
    }
  });
});

describe('5xx answers', () => {
  it('carry a generic message, never the error text or a stack trace', async () => {
    const prefix = freshPrefix();
    const config = loadConfig({ REDIS_URL, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent' });
    const real = createPipelineClient(config, logger);
    const failing: PipelineClient = Object.create(real, {
      getRun: { value: async () => Promise.reject(new Error('secret detail at /srv/app/internal.ts:42')) },
    });
    const app = await buildApp({ config, logger, pipeline: failing });
    try {
      const res = await app.inject({ method: 'GET', url: '/api/jobs/abc' });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
      expect(res.body).not.toContain('secret');
      expect(res.body).not.toContain('internal.ts');
    } finally {
      await app.close();
      // An injected client belongs to the caller: the app left it open.
      expect(await real.ping()).toBe(true);
      await real.close();
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
      await deleteKeys(redis, prefix);
      await redis.quit();
    }
  });
});
