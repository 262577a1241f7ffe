// What the API's event streams tell their clients, from what Redis says: runs may be started by any API
// instance or by curl, so while at least one client listens the hub looks at the newest run's report every
// `pollMs` and announces what changed (created, progress, ended). It also announces the results this API
// starts serving. One hub per API process, shared by every stream.
import type { Logger } from '@autoconnect/config';
import { isFinalStatus, type PipelineClient, type RunReport } from '@autoconnect/pipeline';

export type RunEventName = 'run.created' | 'run.progress' | 'run.ended';

export interface ResultsPublishedData {
  /** The run whose results this API now serves. */
  job_id: string;
  /** When that run published them, ISO 8601. */
  published_at: string;
}

export type LiveEvent = { name: RunEventName; data: RunReport } | { name: 'results.published'; data: ResultsPublishedData };

export function hasEnded(report: Pick<RunReport, 'status'>): boolean {
  return isFinalStatus(report.status);
}

export type RunSource = Pick<PipelineClient, 'listRuns' | 'getRun'>;

interface TrackedRun {
  runId: string;
  ended: boolean;
  /** The last report announced (after clamping), or null before the first. */
  shown: RunReport | null;
  /** Its status and progress, to announce a report only when it says something new. */
  shownKey: string;
}

/** A Redis failure is logged at most this often while it lasts (the hub keeps looking meanwhile). */
const ERROR_LOG_INTERVAL_MS = 10_000;

export class RunEventHub {
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private tracked: TrackedRun | null = null;
  /** Bumped at every start and stop, so a look still under way from an earlier watch schedules nothing. */
  private generation = 0;
  private watching = false;
  private firstLook: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private lastErrorLogged = 0;

  constructor(
    private readonly runs: RunSource,
    private readonly logger: Logger,
    private readonly options: { pollMs: number },
  ) {}

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Whether the hub is looking at Redis now (only while someone listens). */
  get isWatching(): boolean {
    return this.watching;
  }

  /** Adds a listener; the first one starts the watch, the last one to leave stops it. Returns the unsubscribe function. */
  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    if (!this.watching) this.start();
    return () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0) this.stop();
    };
  }

  /** Resolves once the watch has taken its first look: a run created after that is announced as created. */
  ready(): Promise<void> {
    return this.firstLook;
  }

  /** The active run as last announced (null when none): what a client connecting now should show. */
  activeRun(): RunReport | null {
    const tracked = this.tracked;
    return tracked && !tracked.ended ? tracked.shown : null;
  }

  /**
   * Announces results this API now serves. When they are those of the run followed, its end is announced
   * first (the publication message usually comes before the next look): a run ends, then its results show.
   * A run not followed yet, created and ended between two looks, is looked for first, so that streams hear it
   * created and ended before its results.
   */
  async resultsServed(runId: string, publishedAt: string): Promise<void> {
    const tracked = this.tracked;
    if (tracked?.runId === runId && !tracked.ended) {
      const generation = this.generation;
      try {
        const report = await this.runs.getRun(runId);
        if (report && generation === this.generation) this.observe(report, false);
      } catch (err) {
        this.logger.warn({ err, runId }, 'event streams: cannot read the run whose results were published');
      }
    } else if (this.watching && tracked?.runId !== runId) {
      await this.firstLook;
      await this.look(this.generation, false);
    }
    this.emit({ name: 'results.published', data: { job_id: runId, published_at: publishedAt } });
  }

  close(): void {
    this.listeners.clear();
    this.stop();
  }

  private start(): void {
    this.watching = true;
    const generation = ++this.generation;
    this.firstLook = this.look(generation, true);
    void this.firstLook.then(() => this.schedule(generation, Date.now()));
  }

  private stop(): void {
    this.watching = false;
    this.generation += 1;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.tracked = null;
  }

  /** The next look `pollMs` after the start of the previous one (never two at once). */
  private schedule(generation: number, lookStartedAt: number): void {
    if (generation !== this.generation) return;
    const delay = Math.max(0, this.options.pollMs - (Date.now() - lookStartedAt));
    this.timer = setTimeout(() => {
      const startedAt = Date.now();
      void this.look(generation, false).then(() => this.schedule(generation, startedAt));
    }, delay);
    this.timer.unref();
  }

  /**
   * Reads the newest run (runs are created one at a time, so it is the active one, or the last to end). On the
   * first look of a watch, what is already there is taken as known: nothing is announced as created or ended.
   */
  private async look(generation: number, first: boolean): Promise<void> {
    try {
      const [newest] = await this.runs.listRuns(1);
      const tracked = this.tracked;
      if (tracked && !tracked.ended && tracked.runId !== newest?.job_id) {
        // A newer run took the place of the one followed between two looks: its own report says how it ended.
        const last = await this.runs.getRun(tracked.runId);
        if (generation !== this.generation) return;
        if (last) this.observe(last, false);
        else tracked.ended = true;
      }
      // A watch stopped (or restarted) while Redis answered: this look is not its own any more.
      if (generation !== this.generation) return;
      if (newest) this.observe(newest, first);
    } catch (err) {
      const now = Date.now();
      if (now - this.lastErrorLogged >= ERROR_LOG_INTERVAL_MS) {
        this.lastErrorLogged = now;
        this.logger.warn({ err }, 'event streams: cannot read the runs from Redis; still trying');
      }
    }
  }

  private observe(report: RunReport, first: boolean): void {
    let tracked = this.tracked;
    if (tracked?.runId !== report.job_id) {
      tracked = this.tracked = { runId: report.job_id, ended: false, shown: null, shownKey: '' };
      if (first && hasEnded(report)) {
        tracked.ended = true;
        return;
      }
      if (!first) this.announce(tracked, 'run.created', report);
    }
    if (tracked.ended) return;
    if (hasEnded(report)) {
      tracked.ended = true;
      this.announce(tracked, 'run.ended', report);
    } else if (this.keyOf(report, tracked) !== tracked.shownKey) {
      this.announce(tracked, 'run.progress', report);
    }
  }

  /**
   * A report as streams show it: `percent` never below one already announced for the run, `chunks_done`
   * never above `chunks_total`, whatever a reader of Redis met between two writes.
   */
  private clamp(report: RunReport, tracked: TrackedRun): RunReport {
    const { progress } = report;
    const percent = Math.max(progress.percent, tracked.shown?.progress.percent ?? 0);
    const chunksDone = Math.min(progress.chunks_done, progress.chunks_total);
    if (percent === progress.percent && chunksDone === progress.chunks_done) return report;
    return { ...report, progress: { ...progress, percent, chunks_done: chunksDone } };
  }

  private keyOf(report: RunReport, tracked: TrackedRun): string {
    const shown = this.clamp(report, tracked);
    return JSON.stringify([shown.status, shown.progress]);
  }

  private announce(tracked: TrackedRun, name: RunEventName, report: RunReport): void {
    const shown = this.clamp(report, tracked);
    tracked.shown = shown;
    tracked.shownKey = JSON.stringify([shown.status, shown.progress]);
    this.emit({ name, data: shown });
  }

  private emit(event: LiveEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger.error({ err }, 'event stream listener failed');
      }
    }
  }
}
