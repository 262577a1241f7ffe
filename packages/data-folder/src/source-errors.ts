// Why a source cannot be used. The API answers 400 for a refused name or path, 404 for a missing file; a run
// that meets any of them fails with the message.

/** The name is not acceptable, or its path leads outside DATA_DIR (answered alike whether or not a file is there). */
export class SourceRefusedError extends Error {
  override name = 'SourceRefusedError';

  constructor(
    readonly source: string,
    readonly why: string,
  ) {
    super(`source '${source}' is refused: ${why}`);
  }
}

/** No regular file of that name inside DATA_DIR (nothing there, or a folder). */
export class SourceMissingError extends Error {
  override name = 'SourceMissingError';

  constructor(
    readonly source: string,
    readonly isFolder = false,
  ) {
    super(isFolder ? `source '${source}' is not a file` : `source file '${source}' does not exist in the data folder`);
  }
}

/** The file exists but cannot be opened or read (permissions, I/O error). */
export class SourceUnreadableError extends Error {
  override name = 'SourceUnreadableError';

  constructor(
    readonly source: string,
    readonly why: string,
  ) {
    super(`source file '${source}' cannot be read: ${why}`);
  }
}

/** The file is no longer the one the run planned (replaced, truncated or rewritten in place). */
export class SourceChangedError extends Error {
  override name = 'SourceChangedError';

  constructor(
    readonly source: string,
    readonly why: string,
  ) {
    super(`source file '${source}' changed during the run (${why}): run it again`);
  }
}
