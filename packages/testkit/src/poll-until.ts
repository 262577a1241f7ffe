// Waiting on a condition that another process or connection makes true, for states that no event announces to
// the test: ask again until it holds or a deadline passes, never a fixed sleep followed by an assertion.
import { setTimeout as delay } from 'node:timers/promises';

export interface PollOptions {
  /** What is awaited, named in the error on a timeout. */
  what: string;
  /** 10 s unless said. */
  timeoutMs?: number;
  /** Between two probes; 20 ms unless said. */
  intervalMs?: number;
  /** What was seen (a process's output, a page's state), added to the error on a timeout. */
  seen?: () => string;
}

/**
 * Calls `probe` until it returns a value other than undefined and returns that value (so `false` or `null` are
 * answers, not "not yet"). A probe that throws ends the wait with its error; a timeout throws an error naming
 * `what` and what was seen.
 */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) {
      const seen = options.seen ? `\n${options.seen()}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what}${seen}`);
    }
    await delay(options.intervalMs ?? 20);
  }
}
