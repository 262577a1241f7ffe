// A response body serialised once, with the entity tag that lets clients revalidate it.
import { createHash } from 'node:crypto';

export interface SerializedBody {
  json: string;
  etag: string;
}

/** Strong ETag: the run that produced the body plus a digest of the bytes (two variants never share one). */
export function serializeBody(runId: string, body: unknown): SerializedBody {
  const json = JSON.stringify(body);
  const digest = createHash('sha1').update(json).digest('base64url').slice(0, 16);
  return { json, etag: `"${runId}-${digest}"` };
}

/** Whether an If-None-Match header (`*`, one tag or a list, weak or strong) matches `etag`. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
