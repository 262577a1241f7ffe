// The live dashboard in headless Chromium, served by the API process over the real pipeline roles: a run
// started by a plain HTTP POST shows in an open page within 2 s and its charts are redrawn with its results,
// the progress shown never goes backwards, a file uploaded through the page is then processed, the page
// falls back to polling without its event stream, the Cancel button calls the API, and the page is laid out
// at a laptop's and a phone's size (screenshots in e2e/test-output/screenshots).
/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { writeTransactionsFile } from '@autoconnect/datagen';
import { deleteKeys, freshPrefix, pollUntil, type SpawnedProcess } from '@autoconnect/testkit';
import { apiClient } from './support/api-client.js';
import { startApiProcess } from './support/api-process.js';
import {
  SCREENSHOTS_DIR,
  accessibilityProblems,
  canvasImage,
  launchChromium,
  layoutProblems,
  progressSamples,
  recordProgress,
  settledImage,
  watchProblems,
} from './support/browser.js';
import { startHarness, type Harness } from './support/pipeline-harness.js';

let dir: string;
let uploadDir: string;
let harness: Harness;
let api: SpawnedProcess;
let baseUrl: string;
let browser: Browser;
let page: Page;
let problems: string[];

/** POST /api/process through the generated client, as a script would: its status and the new run's id. */
async function startRun(url: string, source: string): Promise<{ status: number; runId: string }> {
  const { data, response } = await apiClient(url).startRun({ body: { source } });
  return { status: response.status, runId: data?.job_id ?? '' };
}

/** The run id shown by the progress card, once it is `runId`; how long that took from `since`. */
async function progressShows(target: Page, runId: string, timeoutMs: number): Promise<void> {
  await target.waitForSelector(`#progress[data-run-id="${runId}"]`, { timeout: timeoutMs });
}

function describeSamples(samples: Array<{ status: string; percent: number; chunksDone: number; chunksTotal: number }>): string {
  return samples.map((s) => `${s.status} ${s.percent}% ${s.chunksDone}/${s.chunksTotal}`).join(', ');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autoconnect-live-'));
  uploadDir = await mkdtemp(join(tmpdir(), 'autoconnect-upload-'));
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  await writeTransactionsFile(join(dir, 'transactions.csv'), { rows: 3000, seed: 11, invalidRatio: 0.01 });
  // Big enough to take a while and report progress several times; other data, so the charts change.
  await writeTransactionsFile(join(dir, 'big.csv'), { rows: 300_000, seed: 5, invalidRatio: 0.001 });
  await writeTransactionsFile(join(uploadDir, 'ventes-2024.csv'), { rows: 5000, seed: 99 });
  // Small ranges, so a run is cut into many.
  harness = await startHarness({ CHUNK_BYTES: '262144', WORKER_CONCURRENCY: '2' }, dir);
  ({ api, baseUrl } = await startApiProcess({ prefix: harness.config.REDIS_PREFIX, dataDir: dir, adminToken: '' }));
  const first = await harness.run('transactions.csv');
  expect(first.status).toBe('completed');
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'fr-FR' });
  problems = watchProblems(page);
  await page.goto(`${baseUrl}/`);
  await page.waitForSelector(`#results[data-run-id="${first.job_id}"]`);
  await page.waitForSelector('#live-status[data-mode="live"]');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  const exit = api ? await api.stop('SIGTERM', 10_000) : null;
  await harness?.close();
  await rm(dir, { recursive: true, force: true });
  await rm(uploadDir, { recursive: true, force: true });
  expect(exit).toEqual({ code: 0, signal: null });
}, 30_000);

describe('the live dashboard', () => {
  it('shows a run started by a plain HTTP POST within 2 s, its progress never going back, then redraws the charts', async () => {
    const revenueBefore = await settledImage(page, '#revenue-chart');
    await recordProgress(page);
    const started = Date.now();
    const { status, runId } = await startRun(baseUrl, 'big.csv');
    expect(status).toBe(202);
    await progressShows(page, runId, 2_000);
    expect(Date.now() - started).toBeLessThan(2_000);

    // Its results are drawn once published: the page shows the run, the charts change.
    await page.waitForSelector(`#results[data-run-id="${runId}"]`, { timeout: 90_000 });
    const revenueAfter = await settledImage(page, '#revenue-chart', revenueBefore);
    expect(revenueAfter).not.toBe(revenueBefore);
    expect(await page.textContent('#current-run')).toContain(runId);
    expect(await page.getAttribute('#progress', 'data-status')).toBe('completed');
    expect(await page.textContent('#progress-percent')).toBe('100 %');

    // Every state the card took: percent never lower than before, chunks done never above chunks cut.
    const samples = await progressSamples(page, runId);
    const seen = describeSamples(samples);
    for (let i = 1; i < samples.length; i += 1) expect([seen, samples[i].percent >= samples[i - 1].percent]).toEqual([seen, true]);
    for (const sample of samples) expect([seen, sample.chunksDone <= sample.chunksTotal]).toEqual([seen, true]);
    expect(samples[samples.length - 1]).toMatchObject({ status: 'completed', percent: 100 });
    // The card moved while the run worked: a state for every 250 ms it lasted, give or take the first and last.
    const { data: report } = await apiClient(baseUrl).getRun({ params: { path: { id: runId } } });
    const durationMs = report?.duration_ms ?? 0;
    expect([seen, samples.length >= Math.floor(durationMs / 250) - 1]).toEqual([seen, true]);
    expect(problems).toEqual([]);
  }, 120_000);

  it('uploads a file through the page with a progress bar, then processes it', async () => {
    const path = join(uploadDir, 'ventes-2024.csv');
    await page.setInputFiles('#upload-input', path);
    await page.click('#upload-button');
    await page.waitForSelector('#upload-progress[data-state="done"]', { timeout: 20_000 });
    expect(await page.getAttribute('#upload-progress .progress-bar', 'aria-valuenow')).toBe('100');
    expect(await page.textContent('#upload-progress')).toContain('Uploaded ventes-2024.csv');
    expect(await readFile(join(dir, 'ventes-2024.csv'))).toEqual(await readFile(path));
    const row = page.locator('#files tr[data-name="ventes-2024.csv"]');
    await row.waitFor();

    // Uploading it again is refused until "Replace" is ticked.
    await page.setInputFiles('#upload-input', path);
    await page.click('#upload-button');
    await page.waitForSelector('#upload-progress[data-state="failed"]');
    expect(await page.textContent('#upload-progress')).toContain('already exists');

    await page.click('#files button[data-source="ventes-2024.csv"]');
    const runId = await pollUntil(
      async () => {
        const shown = await page.$eval('#progress', (section) => ({ ...(section as HTMLElement).dataset }));
        return shown.status === 'completed' && (await page.textContent('#progress-detail'))?.includes('ventes-2024.csv') ? shown.runId : undefined;
      },
      { what: 'the run of the uploaded file to complete', timeoutMs: 60_000, intervalMs: 100, seen: () => api.output(20) },
    );
    await page.waitForSelector(`#results[data-run-id="${runId}"]`, { timeout: 20_000 });
    const firstRun = await page.$eval('#runs tbody tr', (tr) => tr.textContent ?? '');
    expect(firstRun).toContain('ventes-2024.csv');
    expect(firstRun).toContain('completed');
    expect(firstRun).toMatch(/rows\/s/);
    expect(problems).toEqual([]);
  }, 90_000);

  it('draws the top cities and a per-city view, every table paginated, laid out and accessible at 1400×1000 and 390×844', async () => {
    await page.selectOption('#ville-select', '');
    await page.waitForSelector('#results[data-ville=""]');
    expect(await page.textContent('#revenue-hint')).toMatch(/The 8 cities with the most revenue; the other \d+ summed/);
    const legend = await page.$eval('#revenue-chart', () => {
      const chart = (window as unknown as { Chart: { getChart(id: string): { data: { datasets: Array<{ label: string }> } } } }).Chart.getChart('revenue-chart');
      return chart.data.datasets.map((d) => d.label);
    });
    expect(legend).toHaveLength(9);
    expect(legend[8]).toMatch(/^\d+ other cities \(sum\)$/);
    // The best model of each city, 10 a page.
    expect(await page.locator('#top-models tbody tr').count()).toBe(10);
    expect(await page.getAttribute('#top-models-pager', 'data-pages')).toBe('3');
    await page.click('#top-models-pager button:has-text("Next")');
    await page.waitForSelector('#top-models-pager[data-page="2"]');
    // A run's rejected samples opened, so that they are laid out and checked too.
    await page.locator('#runs details summary').first().click();

    for (const [width, height] of [
      [1400, 1000],
      [390, 844],
    ]) {
      await page.setViewportSize({ width, height });
      await page.waitForFunction(() => document.fonts.status === 'loaded');
      await settledImage(page, '#split-chart');
      expect([`${width}x${height}`, await layoutProblems(page)]).toEqual([`${width}x${height}`, []]);
      await page.screenshot({ path: join(SCREENSHOTS_DIR, `dashboard-${width}x${height}.png`), fullPage: true });
    }
    // axe-core finds nothing serious at either size, the page under the CSP its users get.
    const csp = await page.evaluate(() => fetch(location.href).then((response) => response.headers.get('content-security-policy')));
    expect(csp).toContain("script-src 'self'");
    expect(await accessibilityProblems(page)).toEqual({});

    // One city: its own line, its ranking.
    const before = await canvasImage(page, '#revenue-chart');
    await page.selectOption('#ville-select', 'Paris');
    await page.waitForSelector('#results[data-ville="Paris"]');
    await settledImage(page, '#revenue-chart', before);
    expect(await page.textContent('#top-title')).toBe('Top models · Paris');
    expect(await layoutProblems(page)).toEqual([]);
    expect(await accessibilityProblems(page)).toEqual({});
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'dashboard-paris-390x844.png'), fullPage: true });
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'dashboard-paris-1400x1000.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 60_000);
});

describe('the dashboard against an API whose runs stay queued', () => {
  // A second API on a prefix of its own, with no pipeline roles: its runs wait, so the page can act on them.
  let idle: { api: SpawnedProcess; baseUrl: string };
  let prefix: string;

  beforeAll(async () => {
    prefix = freshPrefix('e2e-idle');
    idle = await startApiProcess({ prefix, dataDir: dir, adminToken: '' });
  }, 30_000);

  afterAll(async () => {
    await idle?.api.stop('SIGTERM', 10_000);
    await deleteKeys(prefix);
  });

  it('falls back to polling when the event stream is refused, and still shows a new run within 2 s', async () => {
    const polling = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    try {
      await polling.route('**/api/events', (route) => route.fulfill({ status: 503, contentType: 'text/plain', body: 'no stream' }));
      await polling.goto(`${idle.baseUrl}/`);
      await polling.waitForSelector('#live-status[data-mode="polling"]');
      expect(await accessibilityProblems(polling)).toEqual({});
      const started = Date.now();
      const { status, runId } = await startRun(idle.baseUrl, 'transactions.csv');
      expect(status).toBe(202);
      await progressShows(polling, runId, 2_000);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(await polling.getAttribute('#progress', 'data-status')).toBe('queued');
      expect(await polling.isDisabled('#process-button')).toBe(true);
    } finally {
      await polling.close();
    }
  }, 60_000);

  it('has a Cancel button on the active run that calls POST /api/jobs/<id>/cancel and shows the answer', async () => {
    const viewer = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    try {
      await viewer.goto(`${idle.baseUrl}/`);
      const runId = await pollUntil(async () => (await viewer.getAttribute('#progress', 'data-run-id')) ?? undefined, {
        what: 'the queued run to show',
        timeoutMs: 10_000,
        intervalMs: 100,
      });
      await viewer.waitForSelector('#cancel-button:visible');
      const [request, response] = await Promise.all([
        viewer.waitForRequest((r) => r.url().endsWith(`/api/jobs/${runId}/cancel`)),
        viewer.waitForResponse((r) => r.url().endsWith(`/api/jobs/${runId}/cancel`)),
        viewer.click('#cancel-button'),
      ]);
      expect(request.method()).toBe('POST');
      await viewer.waitForSelector('#banner:not([hidden])');
      const banner = (await viewer.textContent('#banner-text')) ?? '';
      expect(banner).toContain(runId);
      // Whatever the API answered, the page says it: a cancel under way, or the API's refusal.
      if (response.status() === 202) expect(banner).toMatch(/cancel requested|was cancelled/);
      else expect(banner).toContain(`The API answered ${response.status()}`);
    } finally {
      await viewer.close();
    }
  }, 30_000);
});
