// The API under load (autocannon, in this process): requests per second and p99 latency of one endpoint, and
// the CPU each side spent per answer, so the report shows whether the server or the load generator set the rate.
import autocannon from 'autocannon';

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
): Promise<HttpFigures> {
  const probe = await fetch(`${baseUrl}${path}`);
  const responseBytes = (await probe.arrayBuffer()).byteLength;
  const serverBefore = await serverCpuSeconds();
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  const result = await autocannon({ url: `${baseUrl}${path}`, connections, duration: seconds });
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
