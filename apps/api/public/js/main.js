// The dashboard's entry point: loads the published results, the runs and the files, draws them, and keeps
// them current from the API's event stream (or polling while the stream is down): a run started anywhere
// shows here, and new results are drawn as soon as the API serves them. Every failure ends in a visible
// message (never a blank page).
import { ApiError, ApiUnreachableError, getJson, postJson, withQuery } from './api-client.js';
import { askToken, forgetToken, saveToken, savedToken } from './admin-token.js';
import { el } from './dom.js';
import { FilesPanel } from './files-panel.js';
import { formatDateTime, formatInteger } from './format.js';
import { LiveUpdates } from './live-updates.js';
import { Paginator } from './paginator.js';
import { colourOf } from './palette.js';
import { RevenueChart, TOP_CITIES } from './revenue-chart.js';
import { renderRuns } from './runs-table.js';
import { RunProgress, hasEnded } from './run-progress.js';
import { SplitChart } from './split-chart.js';
import { renderTopModels } from './top-models-table.js';

const $ = (id) => document.getElementById(id);
/** Runs read from the API, shown 10 a page. */
const RUNS_READ = 50;
const PAGE_SIZE = 10;
const LIVE_LABELS = { live: '● Live', polling: 'Polling', connecting: 'Connecting…' };

const state = {
  authRequired: false,
  villes: [],
  ville: '',
  splitMode: 'counts',
  /** The run whose results are drawn. */
  runId: null,
  topModeles: {},
  runs: [],
  activeRunId: null,
  /** A click on Process is waiting for the API's answer. */
  starting: false,
  /** Runs whose end was already told in the banner. */
  announced: new Set(),
};

let revenueChart = null;
let splitChart = null;
// Chart.js follows each chart's box with a ResizeObserver; a window resize also resizes them, so a chart that
// missed an observation (drawn while the page was changing size) never keeps a width the page no longer has.
window.addEventListener('resize', () => {
  revenueChart?.chart.resize();
  splitChart?.chart.resize();
});
const progress = new RunProgress($('progress'));
const runsPager = new Paginator($('runs-pager'), PAGE_SIZE, () => drawRuns());
const topPager = new Paginator($('top-models-pager'), PAGE_SIZE, () => drawTopModels());

// --- messages ---------------------------------------------------------------------------------------------

let bannerReason = null;

function showBanner(message, { reason = 'error', retry = false, info = false } = {}) {
  bannerReason = reason;
  $('banner-text').textContent = message;
  $('banner').classList.toggle('info', info);
  $('banner-retry').hidden = !retry;
  $('banner').hidden = false;
}

function hideBanner(reason) {
  if (reason !== undefined && bannerReason !== reason) return;
  bannerReason = null;
  $('banner').hidden = true;
}

function describe(err) {
  if (err instanceof ApiUnreachableError) {
    return 'Cannot reach the AutoConnect API. Check that the service is running and the network is up, then retry.';
  }
  if (err instanceof ApiError) return `The API answered ${err.status}: ${err.message}.`;
  return `Something went wrong in the page: ${err instanceof Error ? err.message : String(err)}.`;
}

// --- the admin token --------------------------------------------------------------------------------------

/**
 * Runs `action(token)`, asking for the admin token first when the service needs one and none is kept, and
 * again when the API refuses it (401). Resolves to the action's answer, or null when the dialog is cancelled.
 */
async function withToken(action, purpose) {
  const needs = `This service needs its admin token (ADMIN_TOKEN) to ${purpose}.`;
  let token = savedToken();
  if (state.authRequired && token === null) {
    token = await askToken($('token-dialog'), needs);
    if (token === null) return null;
    saveToken(token);
  }
  for (;;) {
    try {
      return await action(token);
    } catch (err) {
      // The token was refused, or the service now requires one.
      if (!(err instanceof ApiError && err.status === 401)) throw err;
      forgetToken();
      token = await askToken($('token-dialog'), token ? 'That token was refused. Type the admin token (ADMIN_TOKEN) of this service.' : needs);
      if (token === null) return null;
      saveToken(token);
    }
  }
}

// --- results ----------------------------------------------------------------------------------------------

function colourOfVille(ville) {
  const index = state.villes.indexOf(ville);
  return colourOf(Math.max(index, 0));
}

function showEmptyState() {
  state.runId = null;
  $('results').hidden = true;
  $('empty-state').hidden = false;
  $('ville-select').disabled = true;
  $('current-run').textContent = 'No results yet: no run has completed.';
}

function fillCitySelector(villes) {
  const select = $('ville-select');
  if (!villes.includes(state.ville)) state.ville = '';
  select.replaceChildren(
    el('option', { value: '' }, `All cities (${villes.length})`),
    ...villes.map((ville) => el('option', { value: ville }, ville)),
  );
  select.value = state.ville;
  select.disabled = false;
}

function revenueHint(drawn) {
  if (state.ville) return `${state.ville} · month by month`;
  if (drawn.others === 0) return `${state.villes.length} cities · click a city in the legend to hide it`;
  return `The ${TOP_CITIES} cities with the most revenue; the other ${drawn.others} summed (dashed). Choose a city above for its own chart.`;
}

function drawTopModels() {
  renderTopModels($('top-models'), $('top-title'), topPager, state.topModeles, state.ville);
}

async function drawCharts() {
  const ville = state.ville || undefined;
  const [ca, split, top] = await Promise.all([
    getJson(withQuery('/api/ca-mensuel', { ville })),
    getJson(withQuery('/api/repartition', { ville, format: state.splitMode === 'percentages' ? 'percentage' : undefined })),
    getJson(withQuery('/api/top-modeles', { ville, limit: ville ? 10 : 1 })),
  ]);
  if (!window.Chart) throw new Error('the chart library did not load (/vendor/chart.umd.min.js)');
  $('empty-state').hidden = true;
  $('results').hidden = false;
  revenueChart ??= new RevenueChart($('revenue-chart'));
  splitChart ??= new SplitChart($('split-chart'), $('split-box'));
  const drawn = revenueChart.show(ca.body, colourOfVille);
  splitChart.show(split.body, state.splitMode);
  state.topModeles = top.body;
  drawTopModels();
  $('revenue-hint').textContent = revenueHint(drawn);
  // Which run the charts show, once they show it (the browser tests wait on it).
  $('results').dataset.runId = ca.runId ?? '';
  $('results').dataset.ville = state.ville;
}

async function drawSplit() {
  const ville = state.ville || undefined;
  const split = await getJson(withQuery('/api/repartition', { ville, format: state.splitMode === 'percentages' ? 'percentage' : undefined }));
  splitChart.show(split.body, state.splitMode);
}

/** Loads and draws the published results (or the empty state before any run completed). */
async function loadResults(currentRunId) {
  if (currentRunId === null) {
    showEmptyState();
    return;
  }
  const villes = await getJson('/api/villes');
  if (villes.runId === state.runId && !$('results').hidden) return;
  state.runId = villes.runId;
  state.villes = villes.body.villes;
  fillCitySelector(state.villes);
  topPager.reset();
  await drawCharts();
  drawRuns();
}

let resultsChain = Promise.resolve();

/** Reloads the results after every load asked for before (one at a time, in order). */
function reloadResults(currentRunId) {
  resultsChain = resultsChain
    .then(() => loadResults(currentRunId))
    .catch((err) => showBanner(describe(err), { reason: 'load', retry: true }));
  return resultsChain;
}

// --- runs -------------------------------------------------------------------------------------------------

function showCurrentRun() {
  const line = $('current-run');
  if (state.runId === null) return;
  const run = state.runs.find((r) => r.job_id === state.runId);
  if (!run) {
    line.replaceChildren('Results of run ', el('strong', {}, state.runId));
    return;
  }
  line.replaceChildren(
    'Results of run ',
    el('strong', {}, run.job_id),
    ` · completed ${formatDateTime(run.finished_at)} · ${run.source} · ${formatInteger(run.progress.rows_valid)} valid rows`,
  );
}

function drawRuns() {
  renderRuns($('runs'), $('runs-empty'), runsPager, state.runs, state.runId);
  showCurrentRun();
}

async function loadRuns() {
  const { body: runs } = await getJson(withQuery('/api/jobs', { limit: RUNS_READ }));
  state.runs = runs;
  if (state.runId !== null && !runs.some((run) => run.job_id === state.runId)) {
    const current = await getJson(`/api/jobs/${encodeURIComponent(state.runId)}`).catch(() => null);
    if (current) state.runs = [...runs, current.body];
  }
  drawRuns();
}

/** A report from the stream or polling replaces the run's row (or adds it first) without asking the API. */
function upsertRun(report) {
  const index = state.runs.findIndex((run) => run.job_id === report.job_id);
  if (index >= 0) state.runs[index] = report;
  else state.runs.unshift(report);
  drawRuns();
}

function canProcess() {
  return state.activeRunId === null && !state.starting;
}

function refreshButtons() {
  $('process-button').disabled = !canProcess();
  files.refreshButtons();
}

function setActive(runId) {
  state.activeRunId = runId;
  refreshButtons();
}

/** Tells once, in the banner, how a run followed here ended. */
function announceEnd(report) {
  if (state.announced.has(report.job_id)) return;
  state.announced.add(report.job_id);
  if (report.status === 'failed') {
    showBanner(`Run ${report.job_id} failed: ${report.error ?? 'no reason given'}. The charts still show the last completed run.`, { reason: 'run' });
  } else if (report.status === 'cancelled') {
    showBanner(`Run ${report.job_id} was cancelled. The charts still show the last completed run.`, { reason: 'run', info: true });
  } else {
    hideBanner('run');
  }
}

// --- live updates -----------------------------------------------------------------------------------------

function onRun(name, report) {
  const followed = progress.runId === report.job_id || state.activeRunId === report.job_id;
  progress.show(report);
  upsertRun(report);
  if (hasEnded(report)) {
    if (state.activeRunId === report.job_id) setActive(null);
    if (name === 'run.ended' || followed) announceEnd(report);
    loadRuns().catch((err) => console.warn('dashboard: could not reload the runs', err));
  } else {
    if (state.activeRunId !== report.job_id) setActive(report.job_id);
    if (name === 'run.created') loadRuns().catch((err) => console.warn('dashboard: could not reload the runs', err));
  }
}

async function showRunById(runId) {
  const { body: report } = await getJson(`/api/jobs/${encodeURIComponent(runId)}`);
  onRun(hasEnded(report) ? 'run.ended' : 'run.progress', report);
}

function onStatus(status) {
  state.authRequired = status.auth_required;
  if (status.max_upload_bytes !== undefined) files.maxUploadBytes = status.max_upload_bytes;
  if (status.current_run_id !== state.runId) void reloadResults(status.current_run_id);
  const active = status.active_run_id;
  if (active !== null && (progress.runId !== active || !progress.following)) {
    setActive(active);
    showRunById(active).catch((err) => console.warn('dashboard: could not read the active run', err));
  } else if (active === null && progress.following) {
    // It ended while the page was not listening: its report says how.
    showRunById(progress.runId).catch((err) => console.warn('dashboard: could not read the run', err));
  } else if (active === null && state.activeRunId !== null) {
    setActive(null);
  }
}

function onResults({ job_id: runId }) {
  if (runId !== state.runId) void reloadResults(runId);
}

const live = new LiveUpdates({
  onStatus,
  onRun,
  onResults,
  onMode: (mode) => {
    $('live-status').dataset.mode = mode;
    $('live-status').textContent = LIVE_LABELS[mode];
  },
  onUnreachable: (err) => {
    if (err) {
      showBanner(describe(err), { reason: 'load', retry: true });
    } else if (bannerReason === 'load') {
      hideBanner('load');
      if ($('results').hidden && $('empty-state').hidden) void refresh();
    }
  },
});

// --- actions ----------------------------------------------------------------------------------------------

/** Starts a run on `source` (a file of DATA_DIR), or on DATA_FILE when none is given. */
async function startRun(source) {
  state.starting = true;
  refreshButtons();
  hideBanner('run');
  progress.starting();
  try {
    const answer = await withToken((token) => postJson('/api/process', source ? { source } : {}, token), 'start a run');
    if (answer === null) {
      progress.hide();
      return;
    }
    setActive(answer.body.job_id);
    await showRunById(answer.body.job_id);
  } catch (err) {
    if (err instanceof ApiError && err.status === 409 && err.body?.job_id) {
      showBanner('A run is already in progress: following it.', { reason: 'run', info: true });
      await showRunById(err.body.job_id).catch(() => undefined);
    } else {
      showBanner(describe(err), { reason: 'run' });
      if (progress.runId === null) progress.hide();
    }
  } finally {
    state.starting = false;
    refreshButtons();
  }
}

/** Asks the API to cancel the run shown, and says what it answered. */
async function cancelRun() {
  const runId = progress.runId;
  if (runId === null) return;
  const button = $('cancel-button');
  button.disabled = true;
  try {
    const answer = await withToken((token) => postJson(`/api/jobs/${encodeURIComponent(runId)}/cancel`, {}, token), 'cancel a run');
    if (answer === null) return;
    showBanner(`Run ${runId}: cancel requested.`, { reason: 'run', info: true });
    if (answer.body?.job_id === runId) onRun(hasEnded(answer.body) ? 'run.ended' : 'run.progress', answer.body);
  } catch (err) {
    showBanner(`Could not cancel run ${runId}. ${describe(err)}`, { reason: 'run' });
  } finally {
    button.disabled = false;
  }
}

const files = new FilesPanel(
  {
    table: $('files'),
    empty: $('files-empty'),
    pager: $('files-pager'),
    input: $('upload-input'),
    replace: $('upload-replace'),
    uploadButton: $('upload-button'),
    progress: $('upload-progress'),
  },
  { withToken, onProcess: (name) => void startRun(name), canProcess },
);

// --- loading and wiring -----------------------------------------------------------------------------------

async function refresh() {
  try {
    const { body: status } = await getJson('/api/status');
    state.authRequired = status.auth_required;
    files.maxUploadBytes = status.max_upload_bytes;
    await loadResults(status.current_run_id);
    await Promise.all([loadRuns(), files.load()]);
    hideBanner('load');
    if (status.active_run_id !== null) await showRunById(status.active_run_id);
  } catch (err) {
    console.warn('dashboard: could not load', err);
    if ($('results').hidden && $('empty-state').hidden) $('current-run').textContent = 'Results unavailable.';
    if ($('runs').tBodies[0].rows.length === 0) {
      $('runs').hidden = true;
      $('runs-empty').textContent = 'Runs unavailable.';
      $('runs-empty').hidden = false;
    }
    showBanner(describe(err), { reason: 'load', retry: true });
  }
}

function setSplitMode(mode) {
  state.splitMode = mode;
  $('split-counts').setAttribute('aria-pressed', String(mode === 'counts'));
  $('split-percentages').setAttribute('aria-pressed', String(mode === 'percentages'));
  drawSplit().catch((err) => showBanner(describe(err), { reason: 'load', retry: true }));
}

$('ville-select').addEventListener('change', (event) => {
  state.ville = event.target.value;
  topPager.reset();
  drawCharts().catch((err) => showBanner(describe(err), { reason: 'load', retry: true }));
});
$('split-counts').addEventListener('click', () => setSplitMode('counts'));
$('split-percentages').addEventListener('click', () => setSplitMode('percentages'));
$('process-button').addEventListener('click', () => void startRun());
$('cancel-button').addEventListener('click', () => void cancelRun());
$('banner-retry').addEventListener('click', () => {
  hideBanner();
  void refresh();
});

void refresh().then(() => live.start());
