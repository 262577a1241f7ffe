// A route that takes a JSON body takes it only as JSON. A form, text/plain or multipart body is what a web
// page can make a browser send to another site without asking it first (a "simple" request), so refusing
// every other content type leaves cross-site forms nothing to send; a request with neither body nor
// content type (`curl -X POST …`) still passes, and the cross-site check (cross-site.ts) covers it.
import type { onRequestHookHandler } from 'fastify';
import { UnsupportedContentTypeError } from '../errors/unsupported-content-type-error.js';

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** onRequest: 415 for a content type other than application/json, or for a body without one. */
export const jsonBodyOnly: onRequestHookHandler = (request, _reply, done) => {
  const contentType = request.headers['content-type'];
  if (contentType === undefined) {
    done(hasBody(request.headers) ? new UnsupportedContentTypeError(undefined) : undefined);
    return;
  }
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  done(mediaType === 'application/json' ? undefined : new UnsupportedContentTypeError(contentType));
};
