/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The overview in Chromium against a real collector seeded with a day of reports.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Report } from '@faultline/sdk/schema';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, screenshot, type PageLog } from '../helpers/browser.js';
import { api, ingest, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { demoReports } from '../helpers/demo-data.js';
import { query, settled, text } from '../helpers/ui.js';

const README_SCREENSHOT = new URL('../../../docs/images/overview.png', import.meta.url).pathname;

function countBy(reports: readonly Report[], key: (r: Report) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of reports) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  return m;
}

async function cardValue(page: Page, card: string): Promise<string> {
  return text(page, `[data-card="${card}"] .card-value`);
}

describe('overview page', () => {
  let collector: TestCollector;
  let browser: Browser;
  let page: Page;
  let log: PageLog;
  // Within the last 23 hours: the 24 h range (24 whole hourly buckets, the last one partial) holds them all
  // whatever the clock says.
  const reports = demoReports(Date.now(), 600, 23);

  beforeAll(async () => {
    collector = await startTestCollector();
    await ingest(collector.url, reports);
    browser = await launchBrowser();
    ({ page, log } = await newPage(browser));
  });

  afterAll(async () => {
    await browser?.close();
    await collector?.close();
  });

  it('renders the error-rate chart and the seeded numbers', async () => {
    await page.goto(`${collector.url}/`);
    await settled(page);
    const chart = await page.waitForSelector('.time-chart canvas');
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(await page.getAttribute('.time-chart', 'data-total')).toBe('600');
    expect(await page.getAttribute('.time-chart', 'data-points')).toBe('24');
    expect(await cardValue(page, 'total')).toBe('600');
    const levels = countBy(reports, (r) => r.level);
    for (const level of ['fatal', 'error', 'warning', 'info']) {
      expect(await cardValue(page, level), level).toBe(String(levels.get(level) ?? 0));
    }
    const services = countBy(reports, (r) => r.service.name);
    const shown = await page.$$eval('[data-breakdown="service"] li', (lis) =>
      lis.map((li): [string, string] => [li.getAttribute('data-key') ?? '', li.querySelector('.breakdown-count')?.textContent ?? '']),
    );
    expect(new Map(shown)).toEqual(new Map([...services].map(([k, v]) => [k, String(v)])));
    const envs = await page.$$eval('[data-breakdown="environment"] li', (lis) => lis.map((li) => li.getAttribute('data-key')));
    expect(envs.sort()).toEqual(['production', 'staging']);

    const top = await api<{ issues: { title: string; count: number }[] }>(collector.url, '/api/issues?sort=count&limit=10');
    const titles = await page.$$eval('.top-issues .issue-title', (els) => els.map((e) => e.textContent));
    expect(titles).toEqual(top.issues.map((i) => i.title));
    expect(log.pageErrors).toEqual([]);
    expect(log.consoleErrors).toEqual([]);

    const shot = await screenshot(page, 'overview.png');
    // The README's picture is this same screenshot, refreshed on request.
    if (process.env.FAULTLINE_UPDATE_SCREENSHOT) {
      mkdirSync(dirname(README_SCREENSHOT), { recursive: true });
      copyFileSync(shot, README_SCREENSHOT);
    }
  });

  it.each([
    ['7d', '168'],
    ['30d', '30'],
    ['1h', '60'],
  ])('switches the range to %s and keeps it in the URL', async (range, points) => {
    await page.goto(`${collector.url}/`);
    await settled(page);
    await page.click(`.segmented button[data-range="${range}"]`);
    await page.waitForFunction((n) => document.querySelector('.time-chart')?.getAttribute('data-points') === n, points);
    expect(query(page).get('range')).toBe(range);
    if (range !== '1h') expect(await cardValue(page, 'total')).toBe('600');
    await page.reload();
    await settled(page);
    expect(await page.getAttribute(`.segmented button[data-range="${range}"]`, 'aria-pressed')).toBe('true');
  });

  it('filters by service and environment, and the filters survive a reload', async () => {
    await page.goto(`${collector.url}/`);
    await settled(page);
    const payments = reports.filter((r) => r.service.name === 'payments');
    await page.selectOption('select[name="service"]', 'payments');
    await page.waitForFunction((n) => document.querySelector('[data-card="total"] .card-value')?.textContent === n, String(payments.length));
    expect(query(page).get('service')).toBe('payments');

    const staging = payments.filter((r) => r.service.environment === 'staging');
    await page.selectOption('select[name="environment"]', 'staging');
    await page.waitForFunction((n) => document.querySelector('[data-card="total"] .card-value')?.textContent === n, String(staging.length));
    expect(query(page).get('environment')).toBe('staging');
    await settled(page);
    const services = await page.$$eval('.top-issues .issue-service', (els) => [...new Set(els.map((e) => e.textContent))]);
    expect(services).toEqual(['payments']);

    await page.reload();
    await settled(page);
    expect(await cardValue(page, 'total')).toBe(String(staging.length));
    expect(await page.inputValue('select[name="service"]')).toBe('payments');
    expect(await page.inputValue('select[name="environment"]')).toBe('staging');
  });

  it('filters by a service when its breakdown row is clicked', async () => {
    await page.goto(`${collector.url}/`);
    await settled(page);
    await page.click('[data-breakdown="service"] li[data-key="checkout"] button');
    const checkout = reports.filter((r) => r.service.name === 'checkout').length;
    await page.waitForFunction((n) => document.querySelector('[data-card="total"] .card-value')?.textContent === n, String(checkout));
    expect(query(page).get('service')).toBe('checkout');
  });
});
