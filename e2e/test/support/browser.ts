// Headless Chromium for the dashboard tests (Debian's chromium through playwright-core), and what the tests
// read from a page: canvas drawings, the samples of the progress card, the layout.
// The callbacks given to page.$eval, evaluate and waitForFunction run in the browser: typed against the DOM.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, ImpactValue } from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { pollUntil } from '@autoconnect/testkit';
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
    { what: `${selector} to show a new, finished drawing`, timeoutMs: 10_000, intervalMs: 150 },
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
    const name = (e: Element) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''} "${(e.textContent ?? '').trim().slice(0, 40)}"`;
    // Any element of a card whose content is wider than the card shows it cut.
    for (const { card, box } of boxes) {
      for (const inner of card.querySelectorAll('*')) {
        if (!visible(inner)) continue;
        const r = inner.getBoundingClientRect();
        if (r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1)) {
          problems.push(`${name(inner)} sticks out of ${card.id || card.className}`);
          break;
        }
      }
    }
    // Nor is anything cut inside its own box, or scrolled sideways there (a table in a scroll box, a toggle
    // whose buttons do not fit): content wider than an element that clips or scrolls it. Visually hidden
    // labels (1 px boxes) are meant to be.
    for (const { card } of boxes) {
      for (const inner of [card, ...card.querySelectorAll('*')]) {
        const element = inner as HTMLElement;
        if (!visible(inner) || element.clientWidth <= 1) continue;
        const overflowX = getComputedStyle(element).overflowX;
        if (overflowX !== 'visible' && element.scrollWidth > element.clientWidth + 1) {
          problems.push(`${name(inner)} cuts or scrolls its content (${element.scrollWidth}px in ${element.clientWidth}px) in ${card.id || card.className}`);
        }
      }
    }
    return problems;
  });
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: ImpactValue | undefined;
  help: string;
  /** The elements concerned, as CSS selectors, with what axe says to fix on the first. */
  nodes: string[];
}

/**
 * axe-core's accessibility violations on the page as it is now. axe's script is evaluated in the page
 * through the DevTools protocol (page.evaluate), which the page's Content-Security-Policy does not govern:
 * the page keeps the CSP its users get (script-src 'self'), and the service serves nothing more for tests.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(document, {
      resultTypes: ['violations'],
    }),
  );
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact ?? undefined,
    help: violation.help,
    nodes: violation.nodes.map((node, i) => `${node.target.join(' ')}${i === 0 ? `: ${node.failureSummary ?? ''}` : ''}`),
  }));
}

/** A laptop's window and a phone's, as the dashboard is checked at. */
export const VIEWPORTS = [
  { width: 1400, height: 1000 },
  { width: 390, height: 844 },
] as const;

/** Rules the dashboard once broke, checked whatever their impact (a page without a level-one heading is "moderate"). */
const RULES_ONCE_BROKEN = new Set(['color-contrast', 'scrollable-region-focusable', 'page-has-heading-one']);

/**
 * The serious and critical axe violations of the page as it is now, and any of the rules it once broke, at
 * each of VIEWPORTS, keyed by size (none: {}). The page gets its size back afterwards.
 */
export async function accessibilityProblems(page: Page): Promise<Record<string, AxeViolation[]>> {
  const size = page.viewportSize();
  const problems: Record<string, AxeViolation[]> = {};
  try {
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      const found = (await axeViolations(page)).filter(
        (v) => v.impact === 'serious' || v.impact === 'critical' || RULES_ONCE_BROKEN.has(v.id),
      );
      if (found.length > 0) problems[`${viewport.width}x${viewport.height}`] = found;
    }
  } finally {
    if (size) await page.setViewportSize(size);
  }
  return problems;
}

/** Resizes the page's window, and waits until the charts (resized by Chart.js a moment later) fit their boxes. */
export async function resizeTo(page: Page, viewport: { width: number; height: number }): Promise<void> {
  await page.setViewportSize(viewport);
  // Charts resize a frame or more after the viewport, and an oversized canvas also widens its card: wait until
  // every canvas fits its card and the page fits the viewport. A page that never does is left for the caller's
  // layout check to describe, rather than failing here on a timeout.
  await page
    .waitForFunction(
      () =>
        document.documentElement.scrollWidth <= window.innerWidth &&
        [...document.querySelectorAll('canvas')].every((canvas) => {
          const box = canvas.parentElement?.getBoundingClientRect();
          return canvas.offsetParent === null || box === undefined || canvas.getBoundingClientRect().width <= box.width + 0.5;
        }),
      undefined,
      { timeout: 10_000 },
    )
    .catch(() => undefined);
}
