// Waiting on a condition that another process makes true: ask again until it holds or a deadline passes.
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Calls `check` every `intervalMs` until it returns a value other than undefined, and returns that value.
 * Throws after `timeoutMs`, with `describe()` (what was seen) in the message.
 */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number; describe: () => string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up after ${options.timeoutMs} ms: ${options.describe()}`);
    await delay(options.intervalMs ?? 100);
  }
}
