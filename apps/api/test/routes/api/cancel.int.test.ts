// POST /api/jobs/:id/cancel against real Redis, with no pipeline role running: a run stays queued until it is
// cancelled, which ends it at once, frees the slot and removes its flow from the queues.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { publishResults, QueueName } from '@autoconnect/pipeline';
import { createTestApp, type TestApp } from '../../support/test-app.js';
import { resultsFixture } from '../../support/results-fixture.js';

const CSV = 'transaction_id,date,ville,type,modele,prix,duree_location_mois\nTX1,2023-01-14,Paris,vente,Peugeot 208,18990.00,\n';
const TOKEN = 'cancel-token';

async function start(t: TestApp, headers: Record<string, string> = {}): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/process', headers });
  expect(res.statusCode).toBe(202);
  return res.json().job_id as string;
}

function cancel(t: TestApp, id: string, options: { headers?: Record<string, string>; payload?: string } = {}) {
  return t.app.inject({ method: 'POST', url: `/api/jobs/${id}/cancel`, headers: options.headers, payload: options.payload });
}

describe('POST /api/jobs/:id/cancel', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    await writeFile(join(t.dataDir, 'transactions.csv'), CSV);
  });
  afterEach(async () => {
    await t.redis.del(`${t.prefix}:active-run`);
  });
  afterAll(async () => {
    await t.close();
  });

  it('ends a queued run at once: 202 with the cancelled report, the slot free, its flow gone, the results kept', async () => {
    await publishResults(t.redis, t.prefix, { runId: 'published', results: resultsFixture() });
    const id = await start(t);
    const [aggregate, split] = [QueueName.aggregate, QueueName.split].map((name) => t.app.pipeline.queues.find((q) => q.name === name)!);
    expect(await aggregate.getJobState(id)).toBe('waiting-children');

    const res = await cancel(t, id);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ job_id: id, status: 'cancelled', finished_at: expect.any(String), duration_ms: expect.any(Number) });
    expect(res.json()).not.toHaveProperty('error');
    // Nothing of the run waits in a queue (Bull Board shows none of it), no deadline is left to watch.
    expect(await aggregate.getJob(id)).toBeUndefined();
    expect(await split.getJob(`${id}-split`)).toBeUndefined();
    expect(await t.redis.zscore(`${t.prefix}:run-deadlines`, id)).toBeNull();
    expect(await t.redis.get(`${t.prefix}:results:current`)).toBe('published');
    // The report says so from now on, and the slot takes the next run.
    expect((await t.app.inject({ method: 'GET', url: `/api/jobs/${id}` })).json().status).toBe('cancelled');
    expect((await t.app.inject({ method: 'GET', url: '/api/status' })).json().active_run_id).toBeNull();
    const next = await start(t);
    expect(next).not.toBe(id);
  });

  it('answers 409 naming the status for a run that has already ended, and changes nothing', async () => {
    const id = await start(t);
    expect((await cancel(t, id)).statusCode).toBe(202);
    const again = await cancel(t, id);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({ statusCode: 409, error: 'Conflict', message: expect.stringContaining('has already ended (cancelled)') });

    const failed = await start(t);
    await t.app.pipeline.cancelRun(failed).then((outcome) => expect(outcome.outcome).toBe('cancelled'));
    const finished = await t.redis.hget(`${t.prefix}:run:${failed}`, 'finished_at');
    expect((await cancel(t, failed)).json().message).toContain(`run ${failed} has already ended (cancelled)`);
    expect(await t.redis.hget(`${t.prefix}:run:${failed}`, 'finished_at')).toBe(finished);
  });

  it('answers 404 for an unknown id, and for anything that is not a run id', async () => {
    for (const id of ['nope', 'Xx_unknown-run-id-123', 'run%3Aabc', 'x'.repeat(90)]) {
      const res = await cancel(t, id);
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toBe('Not Found');
    }
  });

  it('takes no body or an empty JSON object, and refuses anything else', async () => {
    const id = await start(t);
    expect((await cancel(t, id, { headers: { 'content-type': 'application/json' }, payload: '{"x":1}' })).statusCode).toBe(400);
    expect((await cancel(t, id, { headers: { 'content-type': 'text/plain' }, payload: 'x' })).statusCode).toBe(415);
    expect((await cancel(t, id, { headers: { 'content-type': 'application/json' }, payload: '{}' })).statusCode).toBe(202);
  });
});

describe('POST /api/jobs/:id/cancel with ADMIN_TOKEN and a rate limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ ADMIN_TOKEN: TOKEN, RATE_LIMIT_PER_MINUTE: '2' });
    await writeFile(join(t.dataDir, 'transactions.csv'), CSV);
  });
  afterAll(async () => {
    await t.close();
  });

  it('needs the bearer token, refuses cross-site requests, and counts against RATE_LIMIT_PER_MINUTE', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const id = await start(t, auth);
    const anonymous = await cancel(t, id);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await cancel(t, id, { headers: { ...auth, 'sec-fetch-site': 'cross-site' } })).statusCode).toBe(403);
    // An unknown id does not use the limit up; a cancel and a 409 do.
    for (let i = 0; i < 3; i += 1) expect((await cancel(t, 'unknownRunId', { headers: auth })).statusCode).toBe(404);
    expect((await cancel(t, id, { headers: auth })).statusCode).toBe(202);
    expect((await cancel(t, id, { headers: auth })).statusCode).toBe(409);
    const limited = await cancel(t, id, { headers: auth });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.json().message).toContain('POST /api/jobs/:id/cancel');
  });
});
