// The runs table: status, source, duration, rows, and rejected rows by reason with their samples on demand.
import { el } from './dom.js';
import { formatDateTime, formatDuration, formatInteger } from './format.js';

const ACTIVE_LABELS = { queued: 'queued', splitting: 'splitting', mapping: 'mapping', reducing: 'reducing' };

function statusCell(run) {
  const kind = run.status === 'completed' || run.status === 'failed' ? run.status : 'active';
  const badge = el('span', { className: `badge badge-${kind}` }, ACTIVE_LABELS[run.status] ? `${run.status} ${run.progress.percent} %` : run.status);
  return el('td', {}, badge, run.error ? el('div', { className: 'run-error' }, run.error) : null);
}

function rejectsCell(run) {
  const reasons = Object.entries(run.rejected.by_reason).filter(([, n]) => n > 0);
  if (reasons.length === 0) return el('td', { className: 'muted' }, '—');
  const list = el('ul', { className: 'reasons' }, ...reasons.map(([reason, n]) => el('li', {}, `${reason}: ${formatInteger(n)}`)));
  const samples = run.rejected.samples;
  const details =
    samples.length === 0
      ? null
      : el(
          'details',
          { className: 'samples' },
          el('summary', {}, `Show ${samples.length} sample${samples.length > 1 ? 's' : ''}`),
          el('ol', {}, ...samples.map((s) => el('li', {}, `line ${formatInteger(s.line)}: ${s.reason}`))),
        );
  return el('td', {}, list, details);
}

/** `runs` newest first, as GET /api/jobs gives them; the row of `currentRunId` is highlighted. */
export function renderRuns(table, emptyNote, runs, currentRunId) {
  const rows = runs.map((run) =>
    el(
      'tr',
      { className: run.job_id === currentRunId ? 'current-row' : '', title: `run ${run.job_id}` },
      el('td', { className: 'nowrap' }, formatDateTime(run.created_at)),
      statusCell(run),
      el('td', {}, run.source),
      el('td', { className: 'num' }, formatDuration(run.duration_ms)),
      el('td', { className: 'num' }, formatInteger(run.progress.rows_valid)),
      el('td', { className: 'num' }, formatInteger(run.progress.rows_rejected)),
      rejectsCell(run),
    ),
  );
  table.tBodies[0].replaceChildren(...rows);
  emptyNote.textContent = 'No run yet.';
  emptyNote.hidden = runs.length > 0;
}
