// Requests Node's HTTP parser refuses before any route sees them: answered in the error shape, with a message
// that says how to send them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import { createTestApp, listen, type TestApp } from '../support/test-app.js';

let t: TestApp;
let port: number;

beforeAll(async () => {
  t = await createTestApp();
  port = Number(new URL(await listen(t.app)).port);
});

afterAll(async () => {
  await t.close();
});

/** Sends raw bytes on a fresh connection and returns everything the server wrote before closing it. */
function raw(request: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.write(request);
  });
}

describe('a request the HTTP parser refuses', () => {
  it('with raw non-ASCII letters in its URL (curl ?ville=Nîmes) is a 400 that says to percent-encode them', async () => {
    const answer = await raw(Buffer.concat([Buffer.from('GET /api/repartition?ville=N'), Buffer.from('îmes', 'utf8'), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')]));
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain('Content-Type: application/json; charset=utf-8');
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['statusCode', 'error', 'message']);
    expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(body.message).toContain('percent-encode');
    expect(body.message).toContain('ville=N%C3%AEmes');
  });

  it('for another reason keeps the error shape and Fastify\'s message', async () => {
    const answer = await raw(Buffer.from('GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'));
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ statusCode: 400, error: 'Bad Request', message: 'Client Error' });
  });

  it('leaves well-formed requests alone: the percent-encoded URL is answered by its route', async () => {
    const answer = await raw(Buffer.from('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });
});
