/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The issue list in Chromium against a real collector: filters, search, sort, cursor paging, live updates.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage } from '../helpers/browser.js';
import { api, ingest, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { demoReports } from '../helpers/demo-data.js';
import { makeReport } from '../helpers/reports.js';
import { query, rowIds, rowTitles, settled } from '../helpers/ui.js';

interface ApiIssue {
  id: string;
  title: string;
  count: number;
  status: string;
}

const BULK = 120;

describe('issues page', () => {
  let collector: TestCollector;
  let browser: Browser;
  let page: Page;

  const issues = async (qs: string): Promise<ApiIssue[]> =>
    (await api<{ issues: ApiIssue[] }>(collector.url, `/api/issues?${qs.includes('limit=') ? '' : 'limit=200&'}${qs}`)).issues;
  /** Waits until the rows on screen are exactly `titles`, in order. */
  const expectRows = async (titles: string[]): Promise<void> => {
    await expect.poll(() => rowTitles(page), { timeout: 20_000 }).toEqual(titles);
  };

  beforeAll(async () => {
    collector = await startTestCollector();
    const now = Date.now();
    const bulk = Array.from({ length: BULK }, (_, i) =>
      makeReport({ service: 'bulk', fingerprint: [`bulk-${i}`], type: 'BulkError', message: `bulk failure number ${i}`, level: 'info', at: new Date(now - (i + 1) * 60_000) }),
    );
    await ingest(collector.url, [...demoReports(now, 400, 20), ...bulk]);
    browser = await launchBrowser();
    ({ page } = await newPage(browser));
  });

  afterAll(async () => {
    await browser?.close();
    await collector?.close();
  });

  it('lists issues with counts, sparklines, first and last seen, and status', async () => {
    await page.goto(`${collector.url}/issues?service=checkout`);
    await settled(page);
    const expected = await issues('service=checkout&status=unresolved');
    expect(expected.length).toBeGreaterThan(1);
    await expectRows(expected.map((i) => i.title));
    const rows = await page.$$eval('.issue-row', (trs) =>
      trs.map((tr) => ({
        count: tr.querySelector('.issue-count')?.textContent,
        spark: tr.querySelector('svg.sparkline')?.getAttribute('aria-label'),
        when: [...tr.querySelectorAll('.when')].map((td) => td.textContent),
        status: tr.querySelector('[data-status]')?.textContent,
      })),
    );
    rows.forEach((row, i) => {
      expect(row.count).toBe(String(expected[i]!.count));
      // Every seeded event is within the last 20 hours, so the 24-hour sparkline holds all of them.
      expect(row.spark).toBe(`${expected[i]!.count} events in the last 24 hours`);
      for (const w of row.when) expect(w).toMatch(/^(just now|\d+ (s|min|h) ago)$/);
      expect(row.status).toBe('unresolved');
    });
  });

  it('narrows the list by search, and keeps the search in the URL', async () => {
    await page.goto(`${collector.url}/issues`);
    await settled(page);
    const all = await rowTitles(page);
    await page.fill('input[name="q"]', 'jwt expired');
    const expected = (await issues('q=jwt%20expired&status=unresolved')).map((i) => i.title);
    expect(expected).toHaveLength(1);
    await expectRows(expected);
    expect(all.length).toBeGreaterThan(expected.length);
    expect(query(page).get('q')).toBe('jwt expired');
  });

  it.each([
    ['level', 'fatal'],
    ['service', 'payments'],
    ['environment', 'staging'],
  ])('filters by %s', async (name, value) => {
    await page.goto(`${collector.url}/issues`);
    await settled(page);
    await page.selectOption(`select[name="${name}"]`, value);
    const expected = (await issues(`${name}=${value}&status=unresolved`)).map((i) => i.title);
    expect(expected.length).toBeGreaterThan(0);
    await expectRows(expected);
    expect(query(page).get(name)).toBe(value);
  });

  it('filters by status', async () => {
    const [target] = await issues('service=inventory');
    await api(collector.url, `/api/issues/${target!.id}`, { method: 'PATCH', body: { status: 'resolved' } });
    await page.goto(`${collector.url}/issues?service=inventory`);
    await settled(page);
    expect(await rowIds(page)).not.toContain(target!.id);
    await page.selectOption('select[name="status"]', 'resolved');
    await expect.poll(() => rowIds(page), { timeout: 20_000 }).toEqual([target!.id]);
    await page.selectOption('select[name="status"]', 'all');
    await expect.poll(async () => (await rowIds(page)).length, { timeout: 20_000 }).toBe((await issues('service=inventory')).length);
  });

  it.each([
    ['count', 'Events'],
    ['firstSeen', 'First seen'],
  ])('sorts by %s', async (sort) => {
    await page.goto(`${collector.url}/issues?status=all`);
    await settled(page);
    await page.selectOption('select[name="sort"]', sort);
    const expected = (await issues(`sort=${sort}&limit=50`)).slice(0, 50).map((i) => i.title);
    await expectRows(expected);
    expect(query(page).get('sort')).toBe(sort);
  });

  it('pages through the issues with a cursor, showing where it is of how many', async () => {
    await page.goto(`${collector.url}/issues?service=bulk`);
    await settled(page);
    const expected = (await issues('service=bulk&status=unresolved')).map((i) => i.id);
    expect(expected).toHaveLength(BULK);
    const range = (): Promise<string | null> => page.textContent('.pager-range');
    expect(await range()).toBe(`1–50 of ${BULK}`);
    const seen: string[][] = [];
    seen.push(await rowIds(page));
    for (let p = 1; p * 50 < BULK; p++) {
      await page.click('.pager button:has-text("Next")');
      await expect.poll(() => rowIds(page), { timeout: 20_000 }).toEqual(expected.slice(p * 50, (p + 1) * 50));
      expect(await range()).toBe(`${p * 50 + 1}–${Math.min((p + 1) * 50, BULK)} of ${BULK}`);
      seen.push(await rowIds(page));
    }
    expect(seen.flat()).toEqual(expected);
    expect(await page.isDisabled('.pager button:has-text("Next")')).toBe(true);
    await page.click('.pager button:has-text("Previous")');
    await expect.poll(() => rowIds(page), { timeout: 20_000 }).toEqual(expected.slice(50, 100));
    expect(await range()).toBe(`51–100 of ${BULK}`);
  });

  it('shows a new issue without a reload', async () => {
    await page.goto(`${collector.url}/issues`);
    await settled(page);
    await page.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });
    const title = `LateArrivalError ${Date.now()}`;
    await ingest(collector.url, [makeReport({ type: 'LateArrivalError', message: title, fn: 'lateArrival', service: 'checkout' })]);
    await page.waitForFunction((t) => [...document.querySelectorAll('.issue-title')].some((e) => e.textContent?.includes(t)), title, { timeout: 20_000 });
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  });
});
