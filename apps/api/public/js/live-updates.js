// What the page learns without asking: the API's event stream (GET /api/events), and while that stream is
// down, polling of the same facts (GET /api/status, the active run's report) so the page never goes stale.
// Both feed the same three callbacks, so the page does not care which one is running.
import { ApiUnreachableError, getJson } from './api-client.js';

/** Polling period while the stream is down: a run started elsewhere still shows within 2 s. */
const POLL_MS = 1_000;
/** After the browser gave up on the stream (an answer that was not a stream), how soon to open a new one. */
const REOPEN_MS = 5_000;
const RUN_EVENTS = ['run.created', 'run.progress', 'run.ended'];
const ENDED = new Set(['completed', 'failed', 'cancelled']);

export class LiveUpdates {
  /**
   * `onStatus(status)` with GET /api/status's fields; `onRun(eventName, report)`; `onResults({ job_id })`;
   * `onMode('live' | 'polling' | 'connecting')`; `onUnreachable(error | null)` while polling fails or works.
   */
  constructor(handlers) {
    this.handlers = handlers;
    this.source = null;
    this.pollTimer = null;
    this.reopenTimer = null;
    /** The run polling last saw active: when it is no longer, its final report is read once. */
    this.polledRunId = null;
    this.mode = null;
  }

  start() {
    this.open();
  }

  setMode(mode) {
    if (mode === this.mode) return;
    this.mode = mode;
    this.handlers.onMode(mode);
  }

  open() {
    this.reopenTimer = null;
    this.setMode('connecting');
    const source = new EventSource('/api/events');
    this.source = source;
    source.addEventListener('open', () => {
      this.setMode('live');
      this.stopPolling();
    });
    source.addEventListener('status', (event) => this.handlers.onStatus(JSON.parse(event.data)));
    for (const name of RUN_EVENTS) {
      source.addEventListener(name, (event) => this.handlers.onRun(name, JSON.parse(event.data)));
    }
    source.addEventListener('results.published', (event) => this.handlers.onResults(JSON.parse(event.data)));
    source.addEventListener('error', () => {
      // CONNECTING: the browser reconnects by itself (the first event resynchronises the page). CLOSED: it
      // gave up, so a new stream is opened later. Polling fills the gap either way.
      this.setMode('polling');
      this.startPolling();
      if (source.readyState === EventSource.CLOSED && this.reopenTimer === null) {
        this.source = null;
        this.reopenTimer = setTimeout(() => this.open(), REOPEN_MS);
      }
    });
  }

  startPolling() {
    if (this.pollTimer !== null) return;
    const tick = async () => {
      await this.poll();
      if (this.pollTimer !== null) this.pollTimer = setTimeout(tick, POLL_MS);
    };
    this.pollTimer = setTimeout(tick, 0);
  }

  stopPolling() {
    if (this.pollTimer !== null) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    this.polledRunId = null;
  }

  async poll() {
    try {
      const { body: status } = await getJson('/api/status');
      this.handlers.onUnreachable(null);
      this.handlers.onStatus(status);
      const runId = status.active_run_id ?? this.polledRunId;
      if (runId !== null) {
        const { body: report } = await getJson(`/api/jobs/${encodeURIComponent(runId)}`);
        this.handlers.onRun(ENDED.has(report.status) ? 'run.ended' : 'run.progress', report);
      }
      this.polledRunId = status.active_run_id;
    } catch (err) {
      if (err instanceof ApiUnreachableError) this.handlers.onUnreachable(err);
      else console.warn('dashboard: polling failed', err);
    }
  }
}
