// An upload larger than MAX_UPLOAD_MB, announced by its Content-Length or found while it was being written.
import { ApiError } from './api-error.js';

export class UploadTooLargeError extends ApiError {
  readonly statusCode = 413;
  constructor(readonly maxBytes: number) {
    super(`the file is larger than the upload limit of ${maxBytes} bytes (MAX_UPLOAD_MB); nothing was stored`);
    this.name = 'UploadTooLargeError';
  }
}
