// A bare node:http server answering fixed bytes: the reference the API's load figures are read against. It
// sends the very answers the API sent (body and content type), with nothing else to do, so the ratio between
// its two endpoints is what the bodies and the load generator allow on this machine, whatever the server.
//
//   node dist/product/same-bytes-server.js <answers.json>
// answers.json: [{ "path": "/health", "contentType": "…", "bodyBase64": "…" }, …]; prints its port once ready.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface FixedAnswer {
  path: string;
  contentType: string;
  bodyBase64: string;
}

export function sameBytesServer(answers: FixedAnswer[]): Server {
  const byPath = new Map(
    answers.map((a) => {
      const body = Buffer.from(a.bodyBase64, 'base64');
      return [a.path, { body, headers: { 'content-type': a.contentType, 'content-length': String(body.length) } }];
    }),
  );
  return createServer((request, response) => {
    const answer = byPath.get(request.url ?? '');
    if (answer === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, answer.headers).end(answer.body);
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const answers = JSON.parse(readFileSync(process.argv[2], 'utf8')) as FixedAnswer[];
  const server = sameBytesServer(answers);
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
  process.once('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
