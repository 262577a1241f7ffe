// Base class of the errors that mean "this file cannot be processed": a run that meets one fails at once.

/** The input as a whole is unusable (as opposed to a single rejected row, which never stops a run). */
export class InputError extends Error {
  override name = 'InputError';
}
