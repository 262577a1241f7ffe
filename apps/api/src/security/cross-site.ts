// Cross-site request forgery protection without tokens, after Go's net/http CrossOriginProtection: a
// browser tells where a request comes from (Sec-Fetch-Site, or else Origin), scripts and curl send
// neither. So a request that changes state is refused when a browser says it comes from a page of another
// site or origin, and accepted otherwise, which keeps `curl -X POST …/api/process` (no body, no headers)
// working while a web page cannot make a visitor's browser start runs.
import type { IncomingHttpHeaders } from 'node:http';
import { printable } from '../errors/printable.js';

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** host[:port] of `hostHeader` as URL parsing writes it for `protocol` (default port left out, lower case). */
function normalisedHost(protocol: string, hostHeader: string): string | null {
  try {
    return new URL(`${protocol}//${hostHeader.trim()}`).host;
  } catch {
    return null;
  }
}

/**
 * Why a browser request is cross-site, or null when it is not (or comes from no browser):
 * - `Sec-Fetch-Site` (every current browser sends it) decides when present: `same-origin` and `none` (typed
 *   in the address bar, a bookmark) pass, `same-site` and `cross-site` do not;
 * - else an `Origin` header must name the request's own host (`Host`, or `X-Forwarded-Host` behind a proxy);
 *   the scheme is not compared, so a proxy terminating TLS changes nothing;
 * - else (no browser metadata at all) the request passes.
 */
export function crossSiteReason(headers: IncomingHttpHeaders): string | null {
  const fetchSite = single(headers['sec-fetch-site'])?.trim().toLowerCase();
  if (fetchSite !== undefined && fetchSite !== '') {
    return fetchSite === 'same-origin' || fetchSite === 'none' ? null : `Sec-Fetch-Site: ${printable(fetchSite, 40)}`;
  }
  const origin = single(headers.origin)?.trim();
  if (origin === undefined || origin === '') return null;
  let originUrl: URL;
  try {
    originUrl = new URL(origin);
  } catch {
    return `Origin: ${printable(origin, 100)}`;
  }
  const own = [single(headers.host), single(headers['x-forwarded-host'])?.split(',')[0]]
    .filter((host): host is string => host !== undefined && host.trim() !== '')
    .map((host) => normalisedHost(originUrl.protocol, host));
  // An opaque origin ("null": sandboxed frames, file: pages) has no host and matches nothing.
  return originUrl.host !== '' && own.includes(originUrl.host) ? null : `Origin: ${printable(origin, 100)} is not this host`;
}
