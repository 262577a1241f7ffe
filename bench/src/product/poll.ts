// Waiting on a condition with a deadline, never a fixed sleep: `probe` returns a value when done, else undefined.

export async function pollUntil<T>(
  probe: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs: number; describe: () => string },
): Promise<T> {
  const deadline = performance.now() + options.timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${options.timeoutMs} ms\n${options.describe()}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}
