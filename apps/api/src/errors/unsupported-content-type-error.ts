// A body sent with a content type other than JSON (a form, text/plain, multipart) to a route that takes JSON.
import { ApiError } from './api-error.js';
import { printable } from './printable.js';

export class UnsupportedContentTypeError extends ApiError {
  readonly statusCode = 415;
  constructor(contentType: string | undefined) {
    super(
      contentType === undefined
        ? 'a body needs Content-Type: application/json; send the body as JSON, or send no body'
        : `unsupported content type '${printable(contentType)}': send the body as JSON with Content-Type: application/json, or send no body`,
    );
    this.name = 'UnsupportedContentTypeError';
  }
}
