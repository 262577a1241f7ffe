// A command line that cannot be run as given; the CLI prints the message and its usage.
export class UsageError extends Error {
  override name = 'UsageError';
}
