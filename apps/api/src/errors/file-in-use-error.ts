// PUT /api/files/{name}?overwrite=true named the file the active run reads: replacing it would fail that run.
import { ApiError } from './api-error.js';

export class FileInUseError extends ApiError {
  readonly statusCode = 409;
  constructor(readonly fileName: string, readonly runId: string) {
    super(`file '${fileName}' is being processed by run ${runId}; wait for it to end (GET /api/jobs/${runId}) or cancel it, then upload again`);
    this.name = 'FileInUseError';
  }
}
