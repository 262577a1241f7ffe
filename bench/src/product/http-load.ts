// The API under load (autocannon, in this process): requests per second and p99 latency of one endpoint.
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
}

export async function httpLoad(baseUrl: string, path: string, seconds: number, connections: number): Promise<HttpFigures> {
  const probe = await fetch(`${baseUrl}${path}`);
  const responseBytes = (await probe.arrayBuffer()).byteLength;
  const result = await autocannon({ url: `${baseUrl}${path}`, connections, duration: seconds });
  return {
    path,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    responseBytes,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
