// The run event hub against a scripted run store: what it announces, what it leaves out, and that it only
// looks at Redis while someone listens.
import { describe, expect, it } from '@jest/globals';
import { createLogger } from '@autoconnect/config';
import type { RunReport } from '@autoconnect/pipeline';
import { RunEventHub, type LiveEvent, type RunSource } from '../../src/events/run-event-hub.js';

const logger = createLogger('hub-test', 'silent');

function report(id: string, status: string, percent: number, extra: Partial<RunReport['progress']> = {}): RunReport {
  return {
    job_id: id,
    status: status as RunReport['status'],
    source: 'transactions.csv',
    created_at: '2024-01-01T00:00:00.000Z',
    finished_at: null,
    duration_ms: null,
    progress: { percent, bytes_total: 100, bytes_read: 0, chunks_total: 4, chunks_done: 0, rows_valid: 0, rows_rejected: 0, ...extra },
    rejected: { by_reason: {}, samples: [] },
  };
}

/** A run store whose reports the test changes; counts how often it is read. */
class ScriptedRuns implements RunSource {
  reports: RunReport[] = [];
  reads = 0;
  private waiting: Array<() => void> = [];

  set(next: RunReport): void {
    const index = this.reports.findIndex((r) => r.job_id === next.job_id);
    if (index >= 0) this.reports[index] = next;
    else this.reports.unshift(next);
  }

  /** Resolves after the hub has read the store `count` more times. */
  looks(count: number): Promise<void> {
    const target = this.reads + count;
    return new Promise((resolve) => {
      const check = () => (this.reads >= target ? resolve() : this.waiting.push(check));
      check();
    });
  }

  async listRuns(limit: number): Promise<RunReport[]> {
    this.reads += 1;
    const waiting = this.waiting;
    this.waiting = [];
    queueMicrotask(() => {
      for (const wake of waiting) wake();
    });
    return this.reports.slice(0, limit);
  }

  async getRun(id: string): Promise<RunReport | null> {
    return this.reports.find((r) => r.job_id === id) ?? null;
  }
}

function collect(hub: RunEventHub): { events: LiveEvent[]; stop: () => void } {
  const events: LiveEvent[] = [];
  const stop = hub.subscribe((event) => events.push(event));
  return { events, stop };
}

const summary = (events: LiveEvent[]) => events.map((e) => `${e.name} ${e.data.job_id}${'progress' in e.data ? ` ${e.data.progress.percent}` : ''}`);

describe('RunEventHub', () => {
  it('announces a run created after the first look, its progress when it changes, and its end once', async () => {
    const runs = new ScriptedRuns();
    runs.set(report('old', 'completed', 100));
    const hub = new RunEventHub(runs, logger, { pollMs: 1 });
    const { events, stop } = collect(hub);
    await hub.ready();
    expect(events).toEqual([]);
    expect(hub.activeRun()).toBeNull();

    runs.set(report('r1', 'queued', 0));
    await runs.looks(2);
    runs.set(report('r1', 'mapping', 40));
    await runs.looks(2);
    await runs.looks(2); // nothing new: nothing announced
    runs.set(report('r1', 'mapping', 55));
    await runs.looks(2);
    expect(hub.activeRun()?.progress.percent).toBe(55);
    runs.set({ ...report('r1', 'completed', 100), finished_at: '2024-01-01T00:00:01.000Z', duration_ms: 1000 });
    await runs.looks(3);
    stop();
    expect(summary(events)).toEqual(['run.created r1 0', 'run.progress r1 40', 'run.progress r1 55', 'run.ended r1 100']);
    expect(hub.activeRun()).toBeNull();
  });

  it('never announces a lower percent, nor more chunks done than cut', async () => {
    const runs = new ScriptedRuns();
    const hub = new RunEventHub(runs, logger, { pollMs: 1 });
    const { events, stop } = collect(hub);
    await hub.ready();
    runs.set(report('r2', 'splitting', 84, { chunks_done: 8, chunks_total: 4 }));
    await runs.looks(2);
    runs.set(report('r2', 'mapping', 79, { chunks_done: 9, chunks_total: 20 }));
    await runs.looks(2);
    runs.set({ ...report('r2', 'failed', 60, { chunks_done: 9, chunks_total: 20 }), error: 'boom' });
    await runs.looks(2);
    stop();
    const shown = events.map((e) => ('progress' in e.data ? [e.name, e.data.progress.percent, e.data.progress.chunks_done, e.data.progress.chunks_total] : []));
    expect(shown).toEqual([
      ['run.created', 84, 4, 4],
      ['run.progress', 84, 9, 20],
      ['run.ended', 84, 9, 20],
    ]);
  });

  it('reports a run that started and ended between two looks, and the end of one replaced by a newer run', async () => {
    const runs = new ScriptedRuns();
    const hub = new RunEventHub(runs, logger, { pollMs: 1 });
    const { events, stop } = collect(hub);
    await hub.ready();
    runs.set(report('a', 'mapping', 10));
    await runs.looks(2);
    // 'a' ends and 'b' starts and ends before the next look.
    runs.set(report('a', 'cancelled', 10));
    runs.set(report('b', 'failed', 0));
    await runs.looks(2);
    stop();
    expect(summary(events)).toEqual(['run.created a 10', 'run.ended a 10', 'run.created b 0', 'run.ended b 0']);
  });

  it('announces the end of the run followed before its published results', async () => {
    const runs = new ScriptedRuns();
    runs.set(report('r5', 'mapping', 50));
    // One look only: the publication comes before the next.
    const hub = new RunEventHub(runs, logger, { pollMs: 60_000 });
    const { events, stop } = collect(hub);
    await hub.ready();
    runs.set(report('r5', 'completed', 100));
    await hub.resultsServed('r5', '2024-01-01T00:00:00.000Z');
    stop();
    expect(summary(events)).toEqual(['run.progress r5 50', 'run.ended r5 100', 'results.published r5']);
  });

  it('announces a run that started and ended between two looks before its published results', async () => {
    const runs = new ScriptedRuns();
    runs.set(report('r4', 'completed', 100));
    const hub = new RunEventHub(runs, logger, { pollMs: 60_000 });
    const { events, stop } = collect(hub);
    await hub.ready();
    // Created, mapped and published within one poll interval: the publication is the first the hub hears of it.
    runs.set(report('r6', 'completed', 100));
    await hub.resultsServed('r6', '2024-01-01T00:00:00.000Z');
    // Results an API instance serves late for an older run announce no run.
    await hub.resultsServed('r4', '2024-01-01T00:00:00.000Z');
    stop();
    expect(summary(events)).toEqual(['run.created r6 100', 'run.ended r6 100', 'results.published r6', 'results.published r4']);
  });

  it('takes an active run already there as known: progress, but no created event', async () => {
    const runs = new ScriptedRuns();
    runs.set(report('live', 'mapping', 30));
    const hub = new RunEventHub(runs, logger, { pollMs: 1 });
    const { events, stop } = collect(hub);
    await hub.ready();
    expect(hub.activeRun()?.job_id).toBe('live');
    stop();
    expect(summary(events)).toEqual(['run.progress live 30']);
  });

  it('reads runs only while someone listens, and announces published results to every listener', async () => {
    const runs = new ScriptedRuns();
    const hub = new RunEventHub(runs, logger, { pollMs: 1 });
    const first = collect(hub);
    const second = collect(hub);
    expect(hub.isWatching).toBe(true);
    await runs.looks(3);
    first.stop();
    await runs.looks(2);
    await hub.resultsServed('r9', '2024-01-01T00:00:00.000Z');
    second.stop();
    expect(hub.listenerCount).toBe(0);
    expect(hub.isWatching).toBe(false);
    expect(first.events).toEqual([]);
    expect(second.events).toEqual([{ name: 'results.published', data: { job_id: 'r9', published_at: '2024-01-01T00:00:00.000Z' } }]);
  });
});
