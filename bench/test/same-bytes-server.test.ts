import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { sameBytesServer, type FixedAnswer } from '../src/product/same-bytes-server.js';

const results = Buffer.from('{"Évreux":{"2023-01":12.5},"Saint-Étienne":{"2023-01":0}}', 'utf8');
const answers: FixedAnswer[] = [
  { path: '/api/ca-mensuel', contentType: 'application/json; charset=utf-8', bodyBase64: results.toString('base64') },
  { path: '/health', contentType: 'application/json; charset=utf-8', bodyBase64: Buffer.from('{"status":"ok"}').toString('base64') },
];

describe('sameBytesServer', () => {
  const server = sameBytesServer(answers);
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers each path with the given bytes, type and length', async () => {
    for (const answer of answers) {
      const response = await fetch(`${base}${answer.path}`);
      const body = Buffer.from(await response.arrayBuffer());
      expect(response.status).toBe(200);
      expect(body.equals(Buffer.from(answer.bodyBase64, 'base64'))).toBe(true);
      expect(response.headers.get('content-type')).toBe(answer.contentType);
      expect(response.headers.get('content-length')).toBe(String(body.length));
    }
  });

  it('answers 404 for any other path, a query string included', async () => {
    expect((await fetch(`${base}/api/villes`)).status).toBe(404);
    expect((await fetch(`${base}/health?x=1`)).status).toBe(404);
  });
});
