// The runs table: status, source, duration, rows and speed, and rejected rows by reason with their samples
// on demand; paginated.
import { cell, el } from './dom.js';
import { formatDateTime, formatDuration, formatInteger, formatRowRate } from './format.js';
import { hasEnded } from './run-progress.js';

function statusCell(run) {
  const kind = hasEnded(run) ? run.status : 'active';
  const badge = el('span', { className: `badge badge-${kind}` }, hasEnded(run) ? run.status : `${run.status} ${run.progress.percent} %`);
  return cell('Status', {}, badge, run.error ? el('div', { className: 'run-error' }, run.error) : null);
}

function rejectsCell(run) {
  const reasons = Object.entries(run.rejected.by_reason).filter(([, n]) => n > 0);
  if (reasons.length === 0) return cell('Rejects by reason', { className: 'muted' }, '—');
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
  // One block, so a narrow screen keeps the list and its samples together beside the column name.
  return cell('Rejects by reason', {}, el('div', { className: 'rejects' }, list, details));
}

function runRow(run, currentRunId) {
  const rows = run.progress.rows_valid + run.progress.rows_rejected;
  return el(
    'tr',
    { className: run.job_id === currentRunId ? 'current-row' : '', title: `run ${run.job_id}`, dataset: { runId: run.job_id } },
    cell('Started', { className: 'nowrap' }, formatDateTime(run.created_at)),
    statusCell(run),
    cell('Source', { className: 'break' }, run.source),
    cell('Duration', { className: 'num' }, formatDuration(run.duration_ms)),
    cell('Rows valid', { className: 'num' }, formatInteger(run.progress.rows_valid)),
    cell('Rows rejected', { className: 'num' }, formatInteger(run.progress.rows_rejected)),
    cell('Speed', { className: 'num' }, run.status === 'completed' ? formatRowRate(rows, run.duration_ms) : '—'),
    rejectsCell(run),
  );
}

/** `runs` newest first, as GET /api/jobs gives them; the row of `currentRunId` is highlighted. */
export function renderRuns(table, emptyNote, paginator, runs, currentRunId) {
  table.tBodies[0].replaceChildren(...paginator.slice(runs).map((run) => runRow(run, currentRunId)));
  emptyNote.textContent = 'No run yet.';
  emptyNote.hidden = runs.length > 0;
  table.hidden = runs.length === 0;
}
