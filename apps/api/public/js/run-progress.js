// The progress card of the run followed (stage, percent, rows, chunks, speed), fed with run reports from the
// event stream or polling. What it shows of a run never goes backwards: not the percent, not the stage once
// the run has ended, and chunks done never above chunks cut, whatever order reports arrive in.
import { formatInteger, formatRowRate } from './format.js';

const STAGES = {
  queued: 'Queued, waiting for the pipeline',
  splitting: 'Reading the file and planning its chunks',
  mapping: 'Computing metrics per chunk',
  reducing: 'Merging and publishing the results',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const ENDED = new Set(['completed', 'failed', 'cancelled']);

export function hasEnded(report) {
  return ENDED.has(report.status);
}

export class RunProgress {
  constructor(section) {
    this.section = section;
    this.stage = section.querySelector('#progress-stage');
    this.percent = section.querySelector('#progress-percent');
    this.bar = section.querySelector('#progress-bar');
    this.detail = section.querySelector('#progress-detail');
    this.cancelButton = section.querySelector('#cancel-button');
    /** The run shown, and the most it has shown of it. */
    this.runId = null;
    this.shownPercent = 0;
    this.ended = false;
  }

  /** Whether the card follows a run that has not ended. */
  get following() {
    return this.runId !== null && !this.ended;
  }

  /** Between a click that starts a run and the API's answer. */
  starting() {
    this.runId = null;
    this.ended = false;
    this.shownPercent = 0;
    this.section.hidden = false;
    this.section.classList.remove('completed', 'failed', 'cancelled');
    this.section.dataset.status = 'starting';
    delete this.section.dataset.runId;
    this.stage.textContent = 'Starting a run…';
    this.setPercent(0);
    this.detail.textContent = '';
    this.cancelButton.hidden = true;
  }

  hide() {
    this.section.hidden = true;
  }

  /** Shows `report` unless it would take the card back (an older report of the run, or any after its end). */
  show(report) {
    if (report.job_id !== this.runId) {
      this.runId = report.job_id;
      this.shownPercent = 0;
      this.ended = false;
    } else if (this.ended) {
      return;
    }
    const { progress } = report;
    const percent = Math.max(this.shownPercent, progress.percent);
    const chunksDone = Math.min(progress.chunks_done, progress.chunks_total);
    this.shownPercent = percent;
    this.ended = hasEnded(report);

    this.section.hidden = false;
    for (const status of ENDED) this.section.classList.toggle(status, report.status === status);
    Object.assign(this.section.dataset, {
      status: report.status,
      runId: report.job_id,
      percent: String(percent),
      chunksDone: String(chunksDone),
      chunksTotal: String(progress.chunks_total),
    });
    this.stage.textContent = `Run ${report.job_id} · ${STAGES[report.status] ?? report.status}`;
    this.setPercent(percent);
    this.cancelButton.hidden = this.ended;
    this.cancelButton.disabled = false;

    if (report.status === 'failed') {
      this.detail.textContent = report.error ?? 'the run failed';
      return;
    }
    const rows = progress.rows_valid + progress.rows_rejected;
    const parts = [
      report.source,
      `${formatInteger(progress.rows_valid)} valid rows, ${formatInteger(progress.rows_rejected)} rejected`,
    ];
    if (progress.chunks_total > 0) parts.push(`chunks ${formatInteger(chunksDone)} / ${formatInteger(progress.chunks_total)}`);
    // Only once the run has ended: its duration comes from the server's clock, not this browser's.
    if (this.ended && report.duration_ms !== null) parts.push(formatRowRate(rows, report.duration_ms));
    this.detail.textContent = parts.join(' · ');
  }

  setPercent(percent) {
    this.percent.textContent = `${percent} %`;
    this.bar.style.width = `${percent}%`;
    this.bar.setAttribute('aria-valuenow', String(percent));
  }
}
