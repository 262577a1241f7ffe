// A range read as UTF-8 holds bytes that are not: the file is Windows-1252, and the range is read again as such.
// A signal between the core and the worker that reads the range, never a user's error.

export class NotUtf8Error extends Error {
  override name = 'NotUtf8Error';

  constructor() {
    super('the bytes are not valid UTF-8');
  }
}
