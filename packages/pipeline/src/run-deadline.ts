// RUN_TIMEOUT_MS: a run that has not ended by its deadline fails. The deadline is set in Redis when the run is
// created (by Redis's clock) and every process of the service — the API and each role — looks for overdue runs
// once a second: whichever is up ends the run, so no single role has to be alive (a run no orchestrator took is
// covered), and a restarted process finds the deadlines where they were.
import type { Logger } from '@autoconnect/config';
import type { RunFlow } from './run-flow.js';
import type { OverdueRun, RunStore } from './run-store.js';

/** How often each process looks for overdue runs: a run fails at most about this long after its deadline. */
export const DEADLINE_CHECK_MS = 1_000;

/** `3600000` → `1 h`, `90000` → `1.5 min`, `2500` → `2.5 s`. */
export function formatDuration(ms: number): string {
  const units: Array<[number, string]> = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1_000, 's'],
  ];
  for (const [size, unit] of units) {
    if (ms >= size) return `${Number((ms / size).toFixed(1))} ${unit}`;
  }
  return `${ms} ms`;
}

/** The error users read on a run ended by its deadline: the variable, its value, and where the run stood. */
export function deadlineMessage(run: Pick<OverdueRun, 'status' | 'timeoutMs' | 'chunksDone' | 'chunksTotal'>): string {
  const limit = `the run did not end within RUN_TIMEOUT_MS=${run.timeoutMs} (${formatDuration(run.timeoutMs)})`;
  switch (run.status) {
    case 'queued':
      return `${limit}: it was still queued, no orchestrator took it (is one running, with the API's REDIS_URL and REDIS_PREFIX?)`;
    case 'splitting':
      return `${limit}: it was still being planned (splitting)`;
    case 'mapping':
      return `${limit}: it was still mapping, ${run.chunksDone} of ${run.chunksTotal} ranges done (are workers running?)`;
    default:
      return `${limit}: it was still ${run.status} (is an aggregator running?)`;
  }
}

/**
 * Fails every run past its deadline that has not ended, deletes its scratch data and removes its jobs that no
 * process holds; returns the ids of the runs this call ended (another process may have been first).
 */
export async function failOverdueRuns(runs: RunStore, flow: RunFlow, logger: Logger): Promise<string[]> {
  const ended: string[] = [];
  for (const run of await runs.overdue()) {
    if (!(await runs.fail(run.runId, deadlineMessage(run)))) continue;
    ended.push(run.runId);
    logger.warn({ runId: run.runId, status: run.status, timeoutMs: run.timeoutMs }, 'run failed: it did not end within RUN_TIMEOUT_MS');
    await flow.discard(run.runId).catch((err: unknown) => logger.warn({ err, runId: run.runId }, "cannot remove an overdue run's jobs"));
  }
  return ended;
}

export interface DeadlineWatch {
  /**
   * Stops looking. A look under way is not waited for: while Redis is away it would wait as long as Redis does,
   * and each of its steps stands alone (the next process to look does what it left).
   */
  stop(): void;
}

/**
 * Calls `check` every DEADLINE_CHECK_MS, one call at a time (a Redis that does not answer makes no pile of them);
 * errors are logged at debug level: the next look tries again.
 */
export function watchDeadlines(check: () => Promise<unknown>, logger: Logger, intervalMs = DEADLINE_CHECK_MS): DeadlineWatch {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = check()
      .catch((err: unknown) => logger.debug({ err }, 'cannot look for overdue runs'))
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
    },
  };
}
