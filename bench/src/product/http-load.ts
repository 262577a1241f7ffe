// The API under load (autocannon, in this process): requests per second and p99 latency of one endpoint, and
// the CPU each side spent per answer, so the report shows whether the server or the load generator set the rate.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpawnedProcess } from '@autoconnect/testkit';
import autocannon from 'autocannon';
import { readCpuSeconds } from './proc-status.js';
import type { FixedAnswer } from './same-bytes-server.js';

export interface HttpFigures {
  path: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Bytes of one answer, to say what is being served. */
  responseBytes: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** CPU per answer of the API process, and of this process (autocannon), in microseconds. */
  serverCpuUsPerAnswer: number | null;
  clientCpuUsPerAnswer: number;
  /** Share of one core each side was busy during the load (1 = a whole core). */
  serverCoresBusy: number | null;
  clientCoresBusy: number;
}

/** `serverCpuSeconds` reads the API process's CPU seconds so far (null once it is gone). */
export async function httpLoad(
  baseUrl: string,
  path: string,
  seconds: number,
  connections: number,
  serverCpuSeconds: () => Promise<number | null> = async () => null,
  headers: Record<string, string> = {},
): Promise<HttpFigures> {
  // fetch asks for gzip unless told otherwise, and decodes it: the size is read as sent, for the load's header.
  const probe = await fetch(`${baseUrl}${path}`, { headers: { 'accept-encoding': 'identity', ...headers } });
  const decodedBytes = (await probe.arrayBuffer()).byteLength;
  const responseBytes = Number(probe.headers.get('content-length') ?? decodedBytes);
  const serverBefore = await serverCpuSeconds();
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  const result = await autocannon({ url: `${baseUrl}${path}`, connections, duration: seconds, headers });
  const elapsed = (performance.now() - started) / 1000;
  const client = process.cpuUsage(clientBefore);
  const serverAfter = await serverCpuSeconds();
  const clientSeconds = (client.user + client.system) / 1e6;
  const serverSeconds = serverBefore === null || serverAfter === null ? null : serverAfter - serverBefore;
  const answers = Math.max(1, result.requests.total);
  return {
    path,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    responseBytes,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    serverCpuUsPerAnswer: serverSeconds === null ? null : (serverSeconds * 1e6) / answers,
    clientCpuUsPerAnswer: (clientSeconds * 1e6) / answers,
    serverCoresBusy: serverSeconds === null ? null : serverSeconds / elapsed,
    clientCoresBusy: clientSeconds / elapsed,
  };
}

/** The results endpoint's and /health's figures, measured one after the other on the same server. */
export interface LoadPair {
  caMensuel: HttpFigures;
  health: HttpFigures;
}

/** The results endpoint's req/s over /health's. */
export function requestsRatio(pair: LoadPair): number {
  return pair.caMensuel.requestsPerSecond / pair.health.requestsPerSecond;
}

/** Both endpoints warmed up (`warmupSeconds` each, not kept), then loaded `seconds` each. */
export async function loadPair(
  baseUrl: string,
  seconds: number,
  warmupSeconds: number,
  connections: number,
  serverCpuSeconds?: () => Promise<number | null>,
  headers: Record<string, string> = {},
): Promise<LoadPair> {
  await httpLoad(baseUrl, '/api/ca-mensuel', warmupSeconds, connections, undefined, headers);
  await httpLoad(baseUrl, '/health', warmupSeconds, connections, undefined, headers);
  const caMensuel = await httpLoad(baseUrl, '/api/ca-mensuel', seconds, connections, serverCpuSeconds, headers);
  const health = await httpLoad(baseUrl, '/health', seconds, connections, serverCpuSeconds, headers);
  return { caMensuel, health };
}

const SERVER_SCRIPT = fileURLToPath(new URL('./same-bytes-server.js', import.meta.url));
const SERVER_START_TIMEOUT_MS = 10_000;

/** The port a server process prints on its first line once it listens. */
function printedPort(server: SpawnedProcess): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${server.name} did not start\n${server.output()}`)), SERVER_START_TIMEOUT_MS);
    server.child.stdout?.on('data', (text: string) => {
      const port = Number(text.trim().split('\n')[0]);
      if (Number.isInteger(port) && port > 0) {
        clearTimeout(timer);
        resolve(port);
      }
    });
    void server.exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${server.name} stopped\n${server.output()}`));
    });
  });
}

/**
 * The same two loads against a bare node:http server (same-bytes-server) sending the API's answers byte for
 * byte, started as its own process: what the two bodies allow on this machine, with nothing of the API's work.
 */
export async function sameBytesLoads(
  baseUrl: string,
  seconds: number,
  warmupSeconds: number,
  connections: number,
  headers: Record<string, string> = {},
): Promise<LoadPair> {
  const answers: FixedAnswer[] = [];
  for (const path of ['/api/ca-mensuel', '/health']) {
    const response = await fetch(`${baseUrl}${path}`);
    const body = Buffer.from(await response.arrayBuffer());
    answers.push({ path, contentType: response.headers.get('content-type') ?? 'application/json', bodyBase64: body.toString('base64') });
  }
  const dir = await mkdtemp(join(tmpdir(), 'same-bytes-'));
  let server: SpawnedProcess | undefined;
  try {
    const file = join(dir, 'answers.json');
    await writeFile(file, JSON.stringify(answers));
    server = new SpawnedProcess('same-bytes-server', ['node', SERVER_SCRIPT, file], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    const port = await printedPort(server);
    const pid = server.pid;
    // The bare server sends its identity bytes whatever the request asks for.
    return await loadPair(`http://127.0.0.1:${port}`, seconds, warmupSeconds, connections, () => readCpuSeconds(pid), headers);
  } finally {
    if (server && (await server.stop('SIGTERM', 5_000)) === null) server.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}
