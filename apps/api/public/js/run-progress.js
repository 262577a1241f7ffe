// The live progress bar of a run (stage and percent), fed by polling GET /api/jobs/:id until the run ends.
import { getJson, ApiUnreachableError } from './api-client.js';
import { formatInteger } from './format.js';

const STAGES = {
  queued: 'Queued, waiting for the pipeline',
  splitting: 'Reading the file and cutting it into city-chunks',
  mapping: 'Computing metrics per city-chunk',
  reducing: 'Merging and publishing the results',
  completed: 'Completed',
  failed: 'Failed',
};

const POLL_MS = 400;

export function isFinal(report) {
  return report.status === 'completed' || report.status === 'failed';
}

export class RunProgress {
  constructor(section) {
    this.section = section;
    this.stage = section.querySelector('#progress-stage');
    this.percent = section.querySelector('#progress-percent');
    this.bar = section.querySelector('#progress-bar');
    this.detail = section.querySelector('#progress-detail');
  }

  /** Between the click on Process and the API's answer. */
  starting() {
    this.section.hidden = false;
    this.section.classList.remove('completed', 'failed');
    this.section.dataset.status = 'starting';
    delete this.section.dataset.runId;
    this.stage.textContent = 'Starting a run…';
    this.percent.textContent = '0 %';
    this.bar.style.width = '0%';
    this.bar.setAttribute('aria-valuenow', '0');
    this.detail.textContent = '';
  }

  hide() {
    this.section.hidden = true;
  }

  show(report) {
    const { progress } = report;
    this.section.hidden = false;
    this.section.classList.toggle('completed', report.status === 'completed');
    this.section.classList.toggle('failed', report.status === 'failed');
    this.section.dataset.status = report.status;
    this.section.dataset.runId = report.job_id;
    this.stage.textContent = `Run ${report.job_id} · ${STAGES[report.status] ?? report.status}`;
    this.percent.textContent = `${progress.percent} %`;
    this.bar.style.width = `${progress.percent}%`;
    this.bar.setAttribute('aria-valuenow', String(progress.percent));
    const rows = `${formatInteger(progress.rows_valid)} valid rows, ${formatInteger(progress.rows_rejected)} rejected`;
    const chunks = progress.chunks_total > 0 ? ` · ${formatInteger(progress.chunks_done)} / ${formatInteger(progress.chunks_total)} city-chunks` : '';
    this.detail.textContent = report.status === 'failed' ? `${report.error ?? 'the run failed'}` : `${report.source} · ${rows}${chunks}`;
  }

  /**
   * Polls the run until it ends and returns its final report. `onUnreachable(error|null)` reports losing and
   * regaining the API; polling goes on meanwhile, as the run itself goes on without the page.
   */
  async follow(runId, onUnreachable) {
    for (;;) {
      try {
        const { body: report } = await getJson(`/api/jobs/${encodeURIComponent(runId)}`);
        onUnreachable(null);
        this.show(report);
        if (isFinal(report)) return report;
      } catch (err) {
        if (!(err instanceof ApiUnreachableError)) throw err;
        onUnreachable(err);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
