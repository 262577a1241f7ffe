// Messages the API builds from what a client sent (a ville, a source, a parameter, a path) stay bounded and
// never carry a non-printable character raw, whatever is sent.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { publishResults } from '@autoconnect/pipeline';
import { SHOWN_VALUE_LENGTH } from '../src/errors/printable.js';
import { resultsFixture } from './support/results-fixture.js';
import { createTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;

/** Controls (C0, DEL, C1), format characters (bidi overrides, zero-width), line and paragraph separators. */
const RAW_NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

function expectSafe(res: { statusCode: number; body: string }, status: number): string {
  expect(res.statusCode).toBe(status);
  const { message } = JSON.parse(res.body) as { message: string };
  // One value shown at most, plus what the message says around it.
  expect(message.length).toBeLessThanOrEqual(SHOWN_VALUE_LENGTH + 300);
  expect(message).not.toMatch(RAW_NON_PRINTABLE);
  return message;
}

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  await publishResults(t.redis, t.prefix, { runId: 'hostileRun', results: resultsFixture() });
});

afterAll(async () => {
  await t.close();
});

describe('a ville filter', () => {
  it('of 10 KB is refused (400) with the value cut at 200 characters and an ellipsis', async () => {
    const message = expectSafe(await t.app.inject(`/api/top-modeles?ville=${'x'.repeat(10_000)}`), 400);
    expect(message).toMatch(new RegExp(`^invalid query parameter ville="x{${SHOWN_VALUE_LENGTH}}…": expected `));
  });

  it('with control bytes, a bidi override or a zero-width space shows them escaped', async () => {
    const message = expectSafe(await t.app.inject('/api/villes-x'), 404);
    expect(message).toBe('no route GET /api/villes-x');
    const escaped = expectSafe(await t.app.inject('/api/repartition?ville=%00%1b[31mRed%7f%C2%85%E2%80%AEx%E2%80%8B'), 404);
    expect(escaped).toBe("unknown ville '\\x00\\x1b[31mRed\\x7f\\x85\\u202ex\\u200b': not in the current results (see GET /api/villes)");
  });

  it('that is not UTF-8 once decoded is shown as sent', async () => {
    const message = expectSafe(await t.app.inject('/api/ca-mensuel?ville=%FF%FE%C3'), 404);
    expect(message).toContain("unknown ville '%FF%FE%C3'");
  });

  it('of control bytes only stays within the bound once escaped', async () => {
    expectSafe(await t.app.inject(`/api/villes?x=1&ville=${'%01'.repeat(3_000)}`), 400);
    // 150 characters are accepted as a ville (up to 200), and take 600 once escaped.
    const message = expectSafe(await t.app.inject(`/api/repartition?ville=${'%01'.repeat(150)}`), 404);
    expect(message).toContain(`'${'\\x01'.repeat(SHOWN_VALUE_LENGTH / 4)}…'`);
  });
});

describe('other parameters', () => {
  it('bounds and escapes values and names in 400s', async () => {
    const mois = expectSafe(await t.app.inject(`/api/ca-mensuel?mois=%1b${'9'.repeat(5_000)}`), 400);
    expect(mois).toMatch(/^invalid query parameter mois="\\x1b9{196}…": expected /);
    const name = expectSafe(await t.app.inject(`/api/villes?${'k'.repeat(10_000)}%07=1`), 400);
    expect(name).toBe(`unknown query parameter '${'k'.repeat(SHOWN_VALUE_LENGTH)}…'; allowed: none`);
    expectSafe(await t.app.inject(`/api/top-modeles?limit=%E2%80%AE${'1'.repeat(5_000)}`), 400);
  });

  it('bounds and escapes a job id, a path and a bad URL', async () => {
    const job = expectSafe(await t.app.inject(`/api/jobs/${'%1b'.repeat(30)}`), 404);
    expect(job).toBe(`unknown job '${'\\x1b'.repeat(30)}'`);
    const path = expectSafe(await t.app.inject(`/nowhere/${'p'.repeat(10_000)}`), 404);
    expect(path.startsWith('no route GET /nowhere/ppp')).toBe(true);
    expectSafe(await t.app.inject(`/api/jobs/%FF${'z'.repeat(50)}`), 400);
  });
});

describe('a source', () => {
  const post = (source: string) => t.app.inject({ method: 'POST', url: '/api/process', payload: { source } });

  it('of 10 KB, or with control characters, is bounded and escaped in 400 and 404', async () => {
    expectSafe(await post(`${'a'.repeat(10_000)}.csv`), 400);
    const long = expectSafe(await post(`${'a'.repeat(240)}.csv`), 404);
    expect(long).toBe(`source '${'a'.repeat(SHOWN_VALUE_LENGTH)}…' not found in DATA_DIR`);
    const controls = expectSafe(await post('\u001b]0;owned\u0007\u2028.csv'), 404);
    expect(controls).toBe("source '\\x1b]0;owned\\x07\\u2028.csv' not found in DATA_DIR");
    const invalid = expectSafe(await post(`../${'\u0000'.repeat(200)}.csv`), 400);
    expect(invalid).toContain("invalid source '../\\x00\\x00");
    expectSafe(await post('\ud800.csv'), 404);
  });

  it('in an unknown body property name is bounded', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/process', payload: { [`${'p'.repeat(5_000)}\u0085`]: 1 } });
    expectSafe(res, 400);
  });
});
