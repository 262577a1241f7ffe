// Runs, rows and durations of the runs that end while the API runs, derived from run reports: the API never
// takes part in a run, so it reads the recent reports (on each publication and each scrape) and counts every
// ended run exactly once, remembering the ids it has counted.
import { Counter, Histogram, type Registry } from 'prom-client';
import { FINAL_STATUSES, isFinalStatus, type FinalStatus, type PipelineClient, type RunReport } from '@autoconnect/pipeline';

export type RunReportSource = Pick<PipelineClient, 'listRuns'>;

export interface RunMetricsOptions {
  /** How many of the newest reports each look reads; more runs than this never end between two looks. */
  window: number;
  /** Runs that ended before this instant (ms since the epoch) are not counted: counters start at zero. */
  since: number;
}

function ended(report: RunReport): report is RunReport & { status: FinalStatus } {
  return isFinalStatus(report.status);
}

export class RunMetrics {
  private readonly runs: Counter<'status'>;
  private readonly rowsProcessed: Counter;
  private readonly rowsRejected: Counter<'reason'>;
  private readonly duration: Histogram<'status'>;
  /** Ended runs already looked at (counted, or ended before `since`); only ids still in the window are kept. */
  private seen = new Set<string>();
  private looking: Promise<void> | null = null;

  constructor(
    private readonly source: RunReportSource,
    registry: Registry,
    private readonly options: RunMetricsOptions,
  ) {
    this.runs = new Counter({
      name: 'autoconnect_runs_total',
      help: 'Runs that ended since the API started, by final status.',
      labelNames: ['status'],
      registers: [registry],
    });
    this.rowsProcessed = new Counter({
      name: 'autoconnect_rows_processed_total',
      help: 'Data rows read (valid and rejected) by the runs counted in autoconnect_runs_total.',
      registers: [registry],
    });
    this.rowsRejected = new Counter({
      name: 'autoconnect_rows_rejected_total',
      help: 'Rejected rows of the runs counted in autoconnect_runs_total, by reason.',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'autoconnect_run_duration_seconds',
      help: 'Duration of the runs counted in autoconnect_runs_total, from creation to end, by final status.',
      labelNames: ['status'],
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
      registers: [registry],
    });
    // Every series exists from the start, so a rate over them is defined before the first run ends.
    for (const status of FINAL_STATUSES) this.runs.inc({ status }, 0);
  }

  /** Reads the newest reports and counts the runs that ended since the last look. Concurrent calls share one read. */
  update(): Promise<void> {
    this.looking ??= this.look().finally(() => {
      this.looking = null;
    });
    return this.looking;
  }

  private async look(): Promise<void> {
    const reports = await this.source.listRuns(this.options.window);
    const seen = new Set<string>();
    for (const report of reports) {
      if (!ended(report)) continue;
      seen.add(report.job_id);
      if (this.seen.has(report.job_id)) continue;
      const finishedAt = report.finished_at === null ? Number.NaN : Date.parse(report.finished_at);
      if (!(finishedAt >= this.options.since)) continue;
      this.count(report);
    }
    // Reports are listed newest first: a run that left the window never comes back into it.
    this.seen = seen;
  }

  private count(report: RunReport & { status: FinalStatus }): void {
    this.runs.inc({ status: report.status });
    this.rowsProcessed.inc(report.progress.rows_valid + report.progress.rows_rejected);
    for (const [reason, rows] of Object.entries(report.rejected.by_reason)) {
      if (rows !== undefined && rows > 0) this.rowsRejected.inc({ reason }, rows);
    }
    if (report.duration_ms !== null) this.duration.observe({ status: report.status }, report.duration_ms / 1000);
  }
}
