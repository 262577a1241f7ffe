// PUT /api/files/{name} named an entry DATA_DIR already holds: a file (replaceable with ?overwrite=true), or
// a folder or link, which an upload never replaces.
import { ApiError } from './api-error.js';

export class FileExistsError extends ApiError {
  readonly statusCode = 409;
  constructor(
    readonly fileName: string,
    notAFile = false,
  ) {
    super(
      notAFile
        ? `'${fileName}' already exists in DATA_DIR and is not a regular file; choose another name`
        : `file '${fileName}' already exists in DATA_DIR; add ?overwrite=true to replace it`,
    );
    this.name = 'FileExistsError';
  }
}
