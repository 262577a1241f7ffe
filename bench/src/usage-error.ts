// A command line `pnpm bench` cannot run with: the message says what was wrong and what is allowed.

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
