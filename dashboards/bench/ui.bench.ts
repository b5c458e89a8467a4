/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Time from navigation to a complete render of the overview and the issue list in Chromium, with
// 1,000,000 events in 5,000 issues stored, against the same pages on an empty collector (same run).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore, startCollector } from '@faultline/collector';
import { chromium, type Browser } from 'playwright-core';
import { median, report } from '../../scripts/bench-report.js';
import { seedStore } from './seed-store.js';

const EVENTS = Number(process.env.FAULTLINE_BENCH_EVENTS ?? 1_000_000);
const ISSUES = 5000;
const ROUNDS = 9;
const TARGET_MS = 1500;
const UI_DIR = new URL('../dist/', import.meta.url).pathname;
const CHROMIUM = process.env.FAULTLINE_CHROMIUM ?? '/usr/bin/chromium';

/** When each page counts as rendered completely: its data loaded and drawn. */
const COMPLETE = {
  overview: () => {
    const page = document.querySelector('.overview[data-loading="false"]');
    return Boolean(page?.querySelector('.time-chart canvas') && page.querySelector('.top-issues .issue-row, .top-issues .muted') && page.querySelector('[data-breakdown="service"]'));
  },
  issues: () => {
    const page = document.querySelector('.issues-page[data-loading="false"]');
    return Boolean(page?.querySelector('.issue-row svg.sparkline, .empty-list'));
  },
};

/**
 * Milliseconds from navigation start to the page's complete render, measured in the page's own clock, in a
 * fresh browser context each time (no HTTP cache: a first visit).
 */
async function timeRender(browser: Browser, url: string, page: keyof typeof COMPLETE): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const tab = await context.newPage();
  await tab.goto(url, { waitUntil: 'commit' });
  const done = COMPLETE[page];
  await tab.waitForFunction(done, undefined, { polling: 'raf', timeout: 60_000 });
  const ms = await tab.evaluate(() => performance.now());
  await context.close();
  return ms;
}

async function measure(browser: Browser, url: string, page: keyof typeof COMPLETE): Promise<number[]> {
  await timeRender(browser, url, page); // warm the collector's caches and Chromium's code cache
  const runs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) runs.push(await timeRender(browser, url, page));
  return runs;
}

const dir = mkdtempSync(join(tmpdir(), 'faultline-ui-bench-'));
try {
  const seededPath = join(dir, 'seeded.db');
  const store = SqliteStore.open(seededPath);
  const seedMs = await seedStore(store, { events: EVENTS, issues: ISSUES, days: 30, now: Date.now() });
  await store.close();
  console.log(`seeded ${EVENTS} events in ${ISSUES} issues in ${(seedMs / 1000).toFixed(1)} s`);

  const common = { port: 0, logLevel: 'silent', retentionIntervalMs: 0, uiDir: UI_DIR } as const;
  const seeded = await startCollector({ ...common, sqlitePath: seededPath });
  const empty = await startCollector({ ...common, sqlitePath: join(dir, 'empty.db') });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const rows = [];
    for (const [page, path, label] of [
      ['overview', '/', 'overview (24 h)'],
      ['overview', '/?range=7d', 'overview (7 d)'],
      ['issues', '/issues', 'issue list (first 50, sparklines)'],
    ] as const) {
      const base = await measure(browser, `${empty.url}${path}`, page);
      const full = await measure(browser, `${seeded.url}${path}`, page);
      const value = median(full);
      console.log(`${label}: empty ${base.map(Math.round).join(', ')} ms; seeded ${full.map(Math.round).join(', ')} ms`);
      rows.push(
        {
          case: `${label}, ${EVENTS.toLocaleString('en-US')} events in ${ISSUES.toLocaleString('en-US')} issues`,
          value,
          unit: 'ms',
          ratio: value / median(base),
          baseline: 'the same page on an empty collector',
          target: `≤ ${TARGET_MS.toLocaleString('en-US')} ms`,
          met: value <= TARGET_MS,
        },
        { case: `${label}, empty collector (baseline)`, value: median(base), unit: 'ms' },
        { case: `${label}, ${EVENTS.toLocaleString('en-US')} events, slowest of ${ROUNDS}`, value: Math.max(...full), unit: 'ms' },
      );
    }
    report({
      title: 'Web UI: navigation to a complete render in Chromium',
      description:
        `Median of ${ROUNDS} first visits (fresh browser context, no cache) after one warm-up, from navigation start to the page's data drawn ` +
        `(overview: chart, top issues, breakdowns; issue list: rows with sparklines), measured with the page's own clock. ` +
        `Data: ${EVENTS.toLocaleString('en-US')} events over 30 days in ${ISSUES.toLocaleString('en-US')} issues of 8 services, written through the SQLite store.`,
      rows,
    });
  } finally {
    await browser.close();
    await seeded.close();
    await empty.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
