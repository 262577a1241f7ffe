// The dashboard in headless Chromium, served by the API process over the real pipeline roles: the empty
// state before any run, "Process" (asking for the admin token) with its progress bar up to completion, the
// charts drawn, the city selector, a second run, /metrics after the runs, a failed run, and an unreachable API.
// The callbacks given to page.$eval and waitForFunction run in the browser: they are typed against the DOM.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { writeTransactionsFile } from '@autoconnect/datagen';
import { parsePrometheusText, sampleValue } from '@autoconnect/testkit';
import { pollUntil, type SpawnedProcess } from '@autoconnect/testkit';
import type { ApiClient } from '@autoconnect/api-client';
import { apiClient } from './support/api-client.js';
import { startApiProcess } from './support/api-process.js';
import {
  SCREENSHOTS_DIR as OUTPUT_DIR,
  accessibilityProblems,
  canvasImage as canvasImageOf,
  launchChromium,
  layoutProblems,
  paintedPixels as paintedPixelsOf,
  resizeTo,
  settledImage as settledImageOf,
  watchProblems,
} from './support/browser.js';
import { startHarness, type Harness } from './support/pipeline-harness.js';

const TOKEN = 'dashboard-admin-token';

let dir: string;
let harness: Harness;
let api: SpawnedProcess;
let baseUrl: string;
/** The API's generated client, for what the test reads besides the page. */
let client: ApiClient;
let browser: Browser;
let page: Page;
/** Console errors and uncaught exceptions of the main page. */
let problems: string[] = [];

/** The body of a call that must succeed. */
async function ok<T>(call: Promise<{ data?: T; response: Response }>): Promise<T> {
  const { data, response } = await call;
  expect(response.status).toBe(200);
  return data!;
}

const status = () => ok(client.getStatus());

const paintedPixels = (selector: string) => paintedPixelsOf(page, selector);
const canvasImage = (selector: string) => canvasImageOf(page, selector);
const settledImage = (selector: string, before?: string) => settledImageOf(page, selector, before);

/** Clicks Process (typing the token when asked) and waits for the progress bar to reach completion. */
async function processRun(expectTokenDialog: boolean): Promise<string> {
  const before = await status();
  const shownBefore = await page.$eval('#progress', (section) => (section as HTMLElement).dataset.runId ?? null);
  await page.click('#process-button');
  if (expectTokenDialog) {
    await page.waitForSelector('#token-dialog[open]');
    await page.fill('#token-input', TOKEN);
    await page.click('#token-dialog button[value="ok"]');
  }
  // The bar of the new run (not the finished bar of an earlier one) reaches completion.
  const runId = await pollUntil(
    async () => {
      const { status, runId: shown } = await page.$eval('#progress', (section) => ({ ...(section as HTMLElement).dataset }));
      if (shown === undefined || shown === shownBefore) return undefined;
      if (status === 'failed') throw new Error(`the run failed: ${await page.textContent('#progress-detail')}`);
      return status === 'completed' ? shown : undefined;
    },
    { what: 'the progress bar to complete', timeoutMs: 60_000, intervalMs: 100, seen: () => api.output(20) },
  );
  expect(await page.textContent('#progress-percent')).toBe('100 %');
  expect(await page.$eval('#progress-bar', (bar) => bar.getAttribute('aria-valuenow'))).toBe('100');
  expect(await page.$eval('#progress-bar', (bar) => (bar as HTMLElement).style.width)).toBe('100%');
  expect(await page.textContent('#progress-stage')).toContain(runId);
  const after = await status();
  expect(after.current_run_id).toBe(runId);
  expect(runId).not.toBe(before.current_run_id);
  // The page shows the new run once the API serves its results.
  await page.waitForFunction((id) => document.querySelector('#current-run')?.textContent?.includes(id), runId, { timeout: 20_000 });
  return runId;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autoconnect-dashboard-'));
  await mkdir(OUTPUT_DIR, { recursive: true });
  await writeTransactionsFile(join(dir, 'transactions.csv'), { rows: 3000, seed: 11, invalidRatio: 0.01 });
  await writeFile(join(dir, 'header-only.csv'), 'transaction_id,date,ville,type,modele,prix,duree_location_mois\n');
  harness = await startHarness({ CHUNK_BYTES: '8192', WORKER_CONCURRENCY: '4' }, dir);
  ({ api, baseUrl } = await startApiProcess({ prefix: harness.config.REDIS_PREFIX, dataDir: dir, adminToken: TOKEN }));
  client = apiClient(baseUrl);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'fr-FR' });
  page = await context.newPage();
  problems = watchProblems(page);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  const exit = api ? await api.stop('SIGTERM', 10_000) : null;
  await harness?.close();
  await rm(dir, { recursive: true, force: true });
  expect(exit).toEqual({ code: 0, signal: null });
}, 30_000);

describe('the dashboard', () => {
  it('explains what to do before any run, with no console errors', async () => {
    await page.goto(`${baseUrl}/`);
    await page.waitForSelector('#empty-state:not([hidden])');
    expect(await page.textContent('#empty-state')).toContain('Press Process');
    expect(await page.textContent('#current-run')).toContain('No results yet');
    expect(await page.isDisabled('#ville-select')).toBe(true);
    expect(await page.isVisible('#results')).toBe(false);
    const links = await page.$$eval('.links a', (as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(['/docs', '/admin/queues']);
    await page.screenshot({ path: join(OUTPUT_DIR, 'dashboard-empty.png') });
    expect(await accessibilityProblems(page)).toEqual({});
    expect(problems).toEqual([]);
  }, 60_000);

  it('asks again when the token is refused, and starts nothing when the dialog is cancelled', async () => {
    // A page of its own: the refused POST logs a 401 in its console, which the main page must not have.
    const other = await page.context().newPage();
    try {
      await other.goto(`${baseUrl}/`);
      await other.waitForSelector('#empty-state:not([hidden])');
      await other.click('#process-button');
      await other.waitForSelector('#token-dialog[open]');
      await other.fill('#token-input', 'not-the-token');
      await other.click('#token-dialog button[value="ok"]');
      await other.waitForFunction(() => document.querySelector('#token-message')?.textContent?.includes('refused'), undefined, {
        timeout: 10_000,
      });
      await other.screenshot({ path: join(OUTPUT_DIR, 'dashboard-token-refused.png') });
      expect(await other.isVisible('#token-dialog')).toBe(true);
      expect(await accessibilityProblems(other)).toEqual({});
      await other.click('#token-dialog button[value="cancel"]');
      await other.waitForFunction(() => !(document.querySelector('#token-dialog') as HTMLDialogElement).open);
      // The dialog's `close` event, which ends the attempt and re-enables the button, comes a task after
      // `open` turns false: wait for the button rather than read it at once.
      await other.waitForSelector('#process-button:enabled', { timeout: 5_000 });
      expect(await other.isHidden('#progress')).toBe(true);
      expect(await status()).toMatchObject({ auth_required: true, current_run_id: null, active_run_id: null });
      expect(await ok(client.listRuns())).toEqual([]);
    } finally {
      await other.close();
    }
  }, 60_000);

  it('asks for the admin token, runs the file with a live progress bar to completion, then draws the charts', async () => {
    const runId = await processRun(true);
    await page.waitForSelector('#results:not([hidden])');
    expect(await page.isVisible('#empty-state')).toBe(false);
    await settledImage('#revenue-chart');
    await settledImage('#split-chart');
    expect(await paintedPixels('#revenue-chart')).toBeGreaterThan(5_000);
    expect(await paintedPixels('#split-chart')).toBeGreaterThan(5_000);

    // All cities: one option per city, and each city's best model as the API ranks it, 10 a page.
    const { villes } = await ok(client.listVilles());
    const options = await page.$$eval('#ville-select option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options).toEqual(['', ...villes]);
    const best = await ok(client.getTopModeles({ params: { query: { limit: 1 } } }));
    const shownRows = () => page.$$eval('#top-models tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    const rows: Array<Array<string | null>> = [];
    for (let pageNumber = 1; ; pageNumber += 1) {
      await page.waitForSelector(`#top-models-pager[data-page="${pageNumber}"]`, { state: 'attached' });
      rows.push(...(await shownRows()));
      if (await page.isDisabled('#top-models-pager button:has-text("Next")')) break;
      await page.click('#top-models-pager button:has-text("Next")');
    }
    expect(rows.map((cells) => [cells[0], cells[1]])).toEqual(villes.map((v) => [v, best[v][0].modele]));
    await page.click('#top-models-pager button:has-text("Previous")');
    // Money in euros, French formatting.
    expect(rows[0][5]).toMatch(/^[\d\u202f\u00a0]+,\d{2}\u00a0€$/);

    const runsTable = await page.$$eval('#runs tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(runsTable).toHaveLength(1);
    expect(runsTable[0]).toContain('completed');
    expect(runsTable[0]).toContain('transactions.csv');
    expect(await page.textContent('#current-run')).toContain(runId);
    expect(problems).toEqual([]);
  }, 90_000);

  it('redraws every chart for the city chosen in the selector', async () => {
    const revenueAll = await canvasImage('#revenue-chart');
    const splitAll = await canvasImage('#split-chart');
    await page.selectOption('#ville-select', 'Lyon');
    await page.waitForFunction(() => document.querySelector('#top-title')?.textContent === 'Top models · Lyon');
    await settledImage('#revenue-chart', revenueAll);
    await settledImage('#split-chart', splitAll);
    const top = await ok(client.getTopModeles({ params: { query: { ville: 'Lyon', limit: 10 } } }));
    const rows = await page.$$eval('#top-models tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    expect(rows.map((cells) => cells[1])).toEqual(top.Lyon.map((m) => m.modele));

    // Sales vs rentals in percentages redraws that chart only.
    const revenueLyon = await canvasImage('#revenue-chart');
    const splitCounts = await canvasImage('#split-chart');
    await page.click('#split-percentages');
    await settledImage('#split-chart', splitCounts);
    expect(await page.getAttribute('#split-percentages', 'aria-pressed')).toBe('true');
    expect(await canvasImage('#revenue-chart')).toBe(revenueLyon);

    await page.screenshot({ path: join(OUTPUT_DIR, 'dashboard-lyon.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 30_000);

  it('starts a new run with Process (the token is kept for the tab) and shows its results', async () => {
    await page.selectOption('#ville-select', '');
    const first = (await status()).current_run_id;
    const second = await processRun(false);
    expect(second).not.toBe(first);
    const runsTable = await page.$$eval('#runs tbody tr', (trs) => trs.map((tr) => tr.getAttribute('title')));
    expect(runsTable).toEqual([`run ${second}`, `run ${first}`]);
    await settledImage('#revenue-chart');
    await page.screenshot({ path: join(OUTPUT_DIR, 'dashboard.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 90_000);

  it('counted both runs in /metrics', async () => {
    const metrics = parsePrometheusText(await ok(client.getMetrics({ parseAs: 'text' })));
    const runs = await ok(client.listRuns());
    expect(sampleValue(metrics, 'autoconnect_runs_total', { status: 'completed' })).toBe(2);
    expect(sampleValue(metrics, 'autoconnect_rows_processed_total')).toBe(
      runs.reduce((sum, run) => sum + run.progress.rows_valid + run.progress.rows_rejected, 0),
    );
    expect(sampleValue(metrics, 'http_request_duration_seconds_count', { method: 'GET', route: '/', status_code: '200' })).toBeGreaterThan(0);
  }, 30_000);

  it('lists a failed run with its error, and keeps showing the last completed run', async () => {
    const current = (await status()).current_run_id;
    const failed = await harness.run('header-only.csv');
    expect(failed.status).toBe('failed');
    await page.reload();
    await page.waitForSelector('#results:not([hidden])');
    // The runs table is filled by its own request: wait for the failed run to head it.
    await page.waitForSelector(`#runs tbody tr:first-child[title="run ${failed.job_id}"]`, { timeout: 10_000 });
    const first = await page.$eval('#runs tbody tr', (tr) => ({ title: tr.getAttribute('title'), text: tr.textContent ?? '' }));
    expect(first.title).toBe(`run ${failed.job_id}`);
    expect(first.text).toContain('failed');
    expect(first.text).toContain(failed.error!);
    expect(await page.textContent('#current-run')).toContain(current!);
    expect(await accessibilityProblems(page)).toEqual({});
    // The failed run's row, its error included, fits a phone's width.
    await resizeTo(page, { width: 390, height: 844 });
    try {
      expect(await layoutProblems(page)).toEqual([]);
      await page.screenshot({ path: join(OUTPUT_DIR, 'dashboard-failed-run-390x844.png'), fullPage: true });
    } finally {
      await page.setViewportSize({ width: 1440, height: 1000 });
    }
    const metrics = parsePrometheusText(await ok(client.getMetrics({ parseAs: 'text' })));
    expect(sampleValue(metrics, 'autoconnect_runs_total', { status: 'failed' })).toBe(1);
    expect(problems).toEqual([]);
  }, 60_000);

  it('says clearly when the API cannot be reached', async () => {
    const offline = await page.context().newPage();
    try {
      await offline.route('**/api/**', (route) => route.abort('connectionrefused'));
      await offline.goto(`${baseUrl}/`);
      await offline.waitForSelector('#banner:not([hidden])');
      expect(await offline.textContent('#banner-text')).toContain('Cannot reach the AutoConnect API');
      expect(await offline.isVisible('#banner-retry')).toBe(true);
      expect(await offline.textContent('#current-run')).toBe('Results unavailable.');
      await offline.screenshot({ path: join(OUTPUT_DIR, 'dashboard-unreachable.png') });
      expect(await accessibilityProblems(offline)).toEqual({});

      // Once the API answers again, Retry brings the page back. (The page's live updates also try again on their
      // own: on a busy machine they may have hidden the banner first, so the button is pressed without waiting
      // for it to be visible.)
      await offline.unroute('**/api/**');
      await offline.$eval('#banner-retry', (button) => (button as HTMLButtonElement).click());
      await offline.waitForSelector('#results:not([hidden])');
      expect(await offline.isVisible('#banner')).toBe(false);
    } finally {
      await offline.close();
    }
  }, 60_000);
});
