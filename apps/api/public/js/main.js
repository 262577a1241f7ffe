// The dashboard's entry point: loads the published results and the runs, draws them, follows and starts
// runs. Every failure ends in a visible message (never a blank page).
import { ApiError, ApiUnreachableError, getJson, postJson, withQuery } from './api-client.js';
import { askToken, forgetToken, saveToken, savedToken } from './admin-token.js';
import { el } from './dom.js';
import { formatDateTime, formatInteger } from './format.js';
import { colourOf } from './palette.js';
import { RevenueChart } from './revenue-chart.js';
import { renderRuns } from './runs-table.js';
import { RunProgress } from './run-progress.js';
import { SplitChart } from './split-chart.js';
import { renderTopModels } from './top-models-table.js';

const $ = (id) => document.getElementById(id);
const RUNS_SHOWN = 15;
/** The API hears of new results by pub/sub: after a run completes, its results may take a moment to be served. */
const RESULTS_WAIT_MS = 15_000;

const state = {
  authRequired: false,
  villes: [],
  ville: '',
  splitMode: 'counts',
  runId: null,
  following: null,
};

let revenueChart = null;
let splitChart = null;
const progress = new RunProgress($('progress'));

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

// --- results ----------------------------------------------------------------------------------------------

function colourOfVille(ville) {
  const index = state.villes.indexOf(ville);
  return colourOf(index < 0 ? 0 : index);
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
  splitChart ??= new SplitChart($('split-chart'));
  revenueChart.show(ca.body, colourOfVille);
  splitChart.show(split.body, state.splitMode);
  renderTopModels($('top-models'), $('top-title'), top.body, state.ville);
  $('revenue-hint').textContent = ville ? ville : `${state.villes.length} cities · click a city in the legend to hide it`;
}

async function drawSplit() {
  const ville = state.ville || undefined;
  const split = await getJson(withQuery('/api/repartition', { ville, format: state.splitMode === 'percentages' ? 'percentage' : undefined }));
  splitChart.show(split.body, state.splitMode);
}

/** Loads the published results, when a run has completed. */
async function loadResults(currentRunId) {
  if (currentRunId === null) {
    showEmptyState();
    return;
  }
  const villes = await getJson('/api/villes');
  state.runId = villes.runId;
  state.villes = villes.body.villes;
  fillCitySelector(state.villes);
  await drawCharts();
}

// --- runs -------------------------------------------------------------------------------------------------

function showCurrentRun(run) {
  const line = $('current-run');
  if (state.runId === null) return;
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

async function loadRuns() {
  const { body: runs } = await getJson(withQuery('/api/jobs', { limit: RUNS_SHOWN }));
  renderRuns($('runs'), $('runs-empty'), runs, state.runId);
  let current = runs.find((run) => run.job_id === state.runId);
  if (!current && state.runId !== null) current = (await getJson(`/api/jobs/${encodeURIComponent(state.runId)}`)).body;
  showCurrentRun(current);
  return runs;
}

async function refresh() {
  try {
    const { body: status } = await getJson('/api/status');
    state.authRequired = status.auth_required;
    await loadResults(status.current_run_id);
    await loadRuns();
    hideBanner('load');
    if (status.active_run_id !== null && state.following === null) void followRun(status.active_run_id);
  } catch (err) {
    console.warn('dashboard: could not load', err);
    if ($('results').hidden && $('empty-state').hidden) $('current-run').textContent = 'Results unavailable.';
    if ($('runs').tBodies[0].rows.length === 0) {
      $('runs-empty').textContent = 'Runs unavailable.';
      $('runs-empty').hidden = false;
    }
    showBanner(describe(err), { reason: 'load', retry: true });
  }
}

/** After a run completed: waits until the API serves its results, then redraws everything. */
async function showResultsOf(runId) {
  const deadline = Date.now() + RESULTS_WAIT_MS;
  while (Date.now() < deadline) {
    const served = await getJson('/api/villes').catch(() => null);
    if (served?.runId === runId) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await refresh();
}

async function followRun(runId) {
  if (state.following !== null) return state.following;
  $('process-button').disabled = true;
  state.following = (async () => {
    try {
      const report = await progress.follow(runId, (err) => {
        if (err) showBanner('Lost contact with the API while following the run; still trying…', { reason: 'follow' });
        else hideBanner('follow');
      });
      if (report.status === 'completed') {
        await showResultsOf(runId);
      } else {
        showBanner(`Run ${runId} failed: ${report.error ?? 'no reason given'}. The charts still show the last completed run.`, {
          reason: 'run',
        });
        await loadRuns();
      }
    } catch (err) {
      showBanner(describe(err), { reason: 'follow', retry: true });
    } finally {
      state.following = null;
      $('process-button').disabled = false;
    }
  })();
  return state.following;
}

async function startRun() {
  const button = $('process-button');
  button.disabled = true;
  hideBanner('run');
  let token = savedToken();
  try {
    if (state.authRequired && token === null) {
      token = await askToken($('token-dialog'), 'This service needs its admin token (ADMIN_TOKEN) to start a run.');
      if (token === null) return;
      saveToken(token);
    }
    for (;;) {
      progress.starting();
      try {
        const { body } = await postJson('/api/process', {}, token);
        await followRun(body.job_id);
        return;
      } catch (err) {
        if (err instanceof ApiError && err.status === 409 && err.body?.job_id) {
          showBanner('A run is already in progress: following it.', { reason: 'run', info: true });
          await followRun(err.body.job_id);
          return;
        }
        // The token was refused, or the service now requires one.
        if (!(err instanceof ApiError && err.status === 401)) throw err;
        forgetToken();
        progress.hide();
        token = await askToken(
          $('token-dialog'),
          token
            ? 'That token was refused. Type the admin token (ADMIN_TOKEN) of this service.'
            : 'This service needs its admin token (ADMIN_TOKEN) to start a run.',
        );
        if (token === null) {
          progress.hide();
          return;
        }
        saveToken(token);
      }
    }
  } catch (err) {
    showBanner(describe(err), { reason: 'run' });
    progress.hide();
  } finally {
    if (state.following === null) button.disabled = false;
  }
}

// --- wiring -----------------------------------------------------------------------------------------------

function setSplitMode(mode) {
  state.splitMode = mode;
  $('split-counts').setAttribute('aria-pressed', String(mode === 'counts'));
  $('split-percentages').setAttribute('aria-pressed', String(mode === 'percentages'));
  drawSplit().catch((err) => showBanner(describe(err), { reason: 'load', retry: true }));
}

$('ville-select').addEventListener('change', (event) => {
  state.ville = event.target.value;
  drawCharts().catch((err) => showBanner(describe(err), { reason: 'load', retry: true }));
});
$('split-counts').addEventListener('click', () => setSplitMode('counts'));
$('split-percentages').addEventListener('click', () => setSplitMode('percentages'));
$('process-button').addEventListener('click', () => void startRun());
$('banner-retry').addEventListener('click', () => {
  hideBanner();
  void refresh();
});

void refresh();
