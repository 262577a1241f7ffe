// PUT /api/files/{name} with no bytes in its body: most often a client that forgot to attach the file.
import { ApiError } from './api-error.js';

export class EmptyUploadError extends ApiError {
  readonly statusCode = 400;
  constructor(readonly fileName: string) {
    super(`empty body for '${fileName}': send the file's bytes as the request body (e.g. curl -T ${fileName} …); nothing was stored`);
    this.name = 'EmptyUploadError';
  }
}
