// Keeps the published results in memory, as a ResultsView whose bodies are serialised once per variant.
// Refreshed when the pipeline announces a publication (pub/sub) and, in case a message was missed, by a
// periodic check of the published run id; reads never touch Redis while results are loaded. The memory
// follows Redis: when Redis answers that nothing is published (results:current deleted, or Redis restarted
// empty), the results are dropped; when Redis does not answer, the results held are kept and served.
import type { Logger } from '@autoconnect/config';
import type { PipelineClient } from '@autoconnect/pipeline';
import { ResultsView } from './results-view.js';

export type ResultsSource = Pick<PipelineClient, 'currentRunId' | 'getCurrentResults' | 'onResultsPublished'>;

export interface ResultsCacheOptions {
  /** Most serialised variants kept per run (least recently used dropped first). */
  maxVariants: number;
  /** How often the published run id is compared with the one in memory. */
  versionCheckMs: number;
}

export class ResultsCache {
  private view: ResultsView | null = null;
  private loading: Promise<ResultsView | null> | null = null;
  private reloadRequested = false;
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** A background refresh failed and none succeeded since: further failures are not logged again. */
  private failing = false;
  private readonly newResultsListeners = new Set<(view: ResultsView) => void>();

  constructor(
    private readonly source: ResultsSource,
    private readonly logger: Logger,
    private readonly options: ResultsCacheOptions,
  ) {}

  /** Subscribes to publications, starts the periodic check and loads what is published now. */
  async start(): Promise<void> {
    this.unsubscribe = this.source.onResultsPublished(() => this.refreshInBackground('published'));
    this.timer = setInterval(() => this.refreshInBackground('version check'), this.options.versionCheckMs);
    this.timer.unref();
    try {
      await this.refresh();
    } catch (err) {
      this.logger.warn({ err }, 'could not load the published results at start; will retry');
    }
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Calls `listener` each time results of another run are loaded, i.e. from the moment this API serves them
   * (whether a publication message or the periodic check found them); returns the unsubscribe function.
   */
  onNewResults(listener: (view: ResultsView) => void): () => void {
    this.newResultsListeners.add(listener);
    return () => {
      this.newResultsListeners.delete(listener);
    };
  }

  /** The results in memory; while none are loaded, asks Redis (a run may have completed meanwhile). */
  async current(): Promise<ResultsView | null> {
    return this.view ?? this.refresh();
  }

  /** The results in memory, without asking Redis. */
  peek(): ResultsView | null {
    return this.view;
  }

  /**
   * Loads the published results when their run differs from the one in memory. Concurrent calls share one
   * load; a call made while a load runs triggers one more afterwards, so a publication is never missed.
   */
  refresh(): Promise<ResultsView | null> {
    if (this.loading) {
      this.reloadRequested = true;
      return this.loading;
    }
    this.loading = this.load().finally(() => {
      this.loading = null;
      if (this.reloadRequested) {
        this.reloadRequested = false;
        this.refreshInBackground('reload');
      }
    });
    return this.loading;
  }

  private refreshInBackground(reason: string): void {
    this.refresh().then(
      () => {
        if (this.failing) this.logger.info({ reason }, 'the published results can be read again');
        this.failing = false;
      },
      (err: unknown) => {
        // Once per outage, not once per check: the version check runs every second.
        if (!this.failing) this.logger.warn({ err, reason }, 'could not refresh the published results; serving those held until Redis answers');
        this.failing = true;
      },
    );
  }

  private async load(): Promise<ResultsView | null> {
    const runId = await this.source.currentRunId();
    if (runId !== null && runId === this.view?.runId) return this.view;
    // `null`: the published run's results as one read (the pointer and its results together), or nothing.
    const published = runId === null ? null : await this.source.getCurrentResults();
    if (published === null) {
      if (this.view !== null) this.logger.warn({ runId: this.view.runId }, 'Redis holds no published results any more: serving none');
      this.view = null;
    } else if (published.runId !== this.view?.runId) {
      this.view = new ResultsView(published, this.options.maxVariants);
      this.logger.info({ runId: published.runId, publishedAt: published.publishedAt }, 'serving new results');
      for (const listener of this.newResultsListeners) {
        try {
          listener(this.view);
        } catch (err) {
          this.logger.error({ err }, 'new results listener failed');
        }
      }
    }
    return this.view;
  }
}
