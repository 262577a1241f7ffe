// Headless Chromium for the dashboard tests (Debian's chromium through playwright-core), and what the tests
// read from a page: canvas drawings, the samples of the progress card, the layout.
// The callbacks given to page.$eval, evaluate and waitForFunction run in the browser: typed against the DOM.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { pollUntil } from '../../src/poll.js';
import { repoPath } from '../../src/repo-paths.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of the browser tests (git-ignored, kept by CI with the rest of the test output). */
export const SCREENSHOTS_DIR = repoPath('e2e/test-output/screenshots');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Console errors and uncaught exceptions of a page, collected as they happen. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

/** How many pixels of a canvas are not transparent: 0 for a chart that drew nothing. */
export function paintedPixels(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, (canvas) => {
    const c = canvas as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted += 1;
    return painted;
  });
}

export function canvasImage(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (canvas) => (canvas as HTMLCanvasElement).toDataURL());
}

/** Waits until a canvas holds a drawing other than `before` and stops changing. */
export async function settledImage(page: Page, selector: string, before?: string): Promise<string> {
  let last = '';
  return pollUntil(
    async () => {
      const image = await canvasImage(page, selector);
      const settled = image === last && image !== before && (await paintedPixels(page, selector)) > 0;
      last = image;
      return settled ? image : undefined;
    },
    { timeoutMs: 10_000, intervalMs: 150, describe: () => `${selector} to show a new, finished drawing` },
  );
}

export interface ProgressSample {
  runId: string;
  status: string;
  percent: number;
  chunksDone: number;
  chunksTotal: number;
}

/**
 * Records every state the progress card takes (a MutationObserver on its data attributes, so no state is
 * missed between two looks). Read them with {@link progressSamples}.
 */
export async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const section = document.querySelector('#progress') as HTMLElement;
    const samples: unknown[] = [];
    (window as unknown as { progressSamples: unknown[] }).progressSamples = samples;
    const record = () => {
      const d = section.dataset;
      if (d.runId === undefined || d.percent === undefined) return;
      samples.push({
        runId: d.runId,
        status: d.status,
        percent: Number(d.percent),
        chunksDone: Number(d.chunksDone),
        chunksTotal: Number(d.chunksTotal),
        shownPercent: section.querySelector('#progress-percent')?.textContent,
      });
    };
    new MutationObserver(record).observe(section, { attributes: true, attributeFilter: ['data-percent', 'data-status', 'data-run-id', 'data-chunks-done'] });
  });
}

export async function progressSamples(page: Page, runId: string): Promise<ProgressSample[]> {
  const all = await page.evaluate(() => (window as unknown as { progressSamples: ProgressSample[] }).progressSamples);
  return all.filter((sample) => sample.runId === runId);
}

/**
 * What a person would call a broken layout: the page wider than the window (something cut or scrolled
 * sideways), or two cards drawn over each other. Returns the problems found (none: []).
 */
export function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) problems.push(`page is ${document.documentElement.scrollWidth}px wide in a ${width}px window`);
    const visible = (e: Element) => (e as HTMLElement).offsetParent !== null;
    const cards = [...document.querySelectorAll('.card, .banner')].filter(visible);
    const boxes = cards.map((card) => ({ card, box: card.getBoundingClientRect() }));
    for (const { card, box } of boxes) {
      if (box.right > width + 0.5 || box.left < -0.5) problems.push(`${card.id || card.className} goes past the window's edge`);
    }
    for (let i = 0; i < boxes.length; i += 1) {
      for (let j = i + 1; j < boxes.length; j += 1) {
        const a = boxes[i].box;
        const b = boxes[j].box;
        const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
        if (overlap) problems.push(`${boxes[i].card.id || boxes[i].card.className} overlaps ${boxes[j].card.id || boxes[j].card.className}`);
      }
    }
    // Any element of a card whose content is wider than the card shows it cut.
    for (const { card, box } of boxes) {
      for (const inner of card.querySelectorAll('*')) {
        if (!visible(inner)) continue;
        const r = inner.getBoundingClientRect();
        if (r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1)) {
          problems.push(`${inner.tagName.toLowerCase()}${inner.id ? `#${inner.id}` : ''} "${(inner.textContent ?? '').trim().slice(0, 40)}" sticks out of ${card.id || card.className}`);
          break;
        }
      }
    }
    return problems;
  });
}
