/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Links into an issue page (`?event=`) in Chromium against a real collector: an event of another issue or
// an unknown one is refused with a notice, an event past the first page is found and stepped from, live
// refreshes keep Newer/Older on the adjacent events, and an unbreakable error type stays in its column.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, type PageLog } from '../helpers/browser.js';
import { api, ingest, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { hexId, makeReport } from '../helpers/reports.js';
import { query, text } from '../helpers/ui.js';

interface Listed {
  issues: { id: string; type: string }[];
}

describe('issue page links', () => {
  let collector: TestCollector;
  let browser: Browser;
  let page: Page;
  let log: PageLog;
  let mainId: string;
  let otherId: string;
  let longId: string;
  const now = Date.now();
  // 40 events of one issue, a minute apart, newest first: more than the stepper's first page of 25.
  const many = Array.from({ length: 40 }, (_, i) => makeReport({ message: `card declined #${40 - i}`, at: new Date(now - (i + 5) * 60_000) }));
  const other = makeReport({ type: 'InventoryError', fn: 'reserveStock', file: 'inventory/reserve.ts', message: 'out of stock' });
  const longType = `Unbreakable${'X'.repeat(230)}Error`;
  const long = makeReport({ type: longType, fn: 'parseFeed', file: 'feeds/parse.ts', message: 'bad feed' });

  beforeAll(async () => {
    collector = await startTestCollector();
    await ingest(collector.url, [...many, other, long]);
    const { issues } = await api<Listed>(collector.url, '/api/issues');
    const byType = new Map(issues.map((i) => [i.type, i.id]));
    mainId = byType.get('PaymentDeclinedError')!;
    otherId = byType.get('InventoryError')!;
    longId = byType.get(longType)!;
    expect([mainId, otherId, longId].every(Boolean)).toBe(true);
    browser = await launchBrowser();
    ({ page, log } = await newPage(browser));
  });

  afterAll(async () => {
    await browser?.close();
    await collector?.close();
  });

  const open = async (issueId: string, eventId?: string): Promise<void> => {
    await page.goto(`${collector.url}/issues/${issueId}${eventId ? `?event=${eventId}` : ''}`);
    await page.waitForSelector(`.issue-page[data-issue-id="${issueId}"]`);
  };

  it("refuses an event of another issue, links to that issue and shows this issue's latest event", async () => {
    await open(mainId, other.id);
    await page.waitForSelector('.refused-event[data-reason="other-issue"]');
    await page.waitForSelector(`.event[data-event-id="${many[0]!.id}"]`);
    expect(await page.$(`.event[data-event-id="${other.id}"]`)).toBeNull();
    expect(await text(page, '.event-message')).toBe(many[0]!.message);
    expect(await page.getAttribute('.refused-event a', 'href')).toBe(`/issues/${otherId}?event=${other.id}`);
    await page.click('.refused-event a');
    await page.waitForSelector(`.issue-page[data-issue-id="${otherId}"] .event[data-event-id="${other.id}"]`);
    expect(await page.$('.refused-event')).toBeNull();
    expect(log.pageErrors).toEqual([]);
  });

  it('says an unknown event was not found and shows the latest one', async () => {
    const unknown = hexId(16);
    await open(mainId, unknown);
    await page.waitForSelector('.refused-event[data-reason="not-found"]');
    expect(await text(page, '.refused-event code')).toBe(unknown);
    await page.waitForSelector(`.event[data-event-id="${many[0]!.id}"]`);
    expect(await page.$('.notice.error')).toBeNull();
  });

  it('finds a linked event past the first page and steps to its neighbours', async () => {
    const at = 32; // the 33rd newest: on the second page
    await open(mainId, many[at]!.id);
    await page.waitForSelector(`.event[data-event-id="${many[at]!.id}"]`);
    await page.waitForSelector(`.event-list li.current button[data-event-id="${many[at]!.id}"]`);
    expect(await text(page, '.step-pos')).toBe(`${at + 1} of 40`);
    await page.click('button[data-step="older"]');
    await page.waitForSelector(`.event[data-event-id="${many[at + 1]!.id}"]`);
    expect(query(page).get('event')).toBe(many[at + 1]!.id);
    await page.click('button[data-step="newer"]');
    await page.click('button[data-step="newer"]');
    await page.waitForSelector(`.event[data-event-id="${many[at - 1]!.id}"]`);
    expect(query(page).get('event')).toBe(many[at - 1]!.id);
  });

  it('loads the next page when Older is pressed on the last loaded event', async () => {
    await open(mainId, many[24]!.id); // the last of the first page
    await page.waitForSelector(`.event-list li.current button[data-event-id="${many[24]!.id}"]`);
    expect(await page.$$eval('.event-list li', (lis) => lis.length)).toBe(25);
    await page.click('button[data-step="older"]');
    await page.waitForSelector(`.event[data-event-id="${many[25]!.id}"]`);
    expect(await page.$$eval('.event-list li', (lis) => lis.length)).toBe(40);
  });

  it('keeps Newer and Older on the adjacent events while new events arrive', async () => {
    const at = 30;
    await open(mainId, many[at]!.id);
    await page.waitForSelector(`.event-list li.current button[data-event-id="${many[at]!.id}"]`);
    // 30 new events: more than a page, so the refresh must read on until it meets the loaded ones.
    const burst = Array.from({ length: 30 }, (_, i) => makeReport({ message: `new #${i}`, at: new Date(now - i * 1000) }));
    await ingest(collector.url, burst);
    await page.waitForSelector(`.event-list button[data-event-id="${burst[0]!.id}"]`, { timeout: 15_000 });
    const listed = await page.$$eval('.event-list button[data-event-id]', (bs) => bs.map((b) => b.getAttribute('data-event-id')));
    expect(listed).toEqual([...burst, ...many].map((e) => e.id));
    expect(await text(page, '.step-pos')).toBe(`${burst.length + at + 1} of 70`);
    await page.click('button[data-step="older"]');
    await page.waitForSelector(`.event[data-event-id="${many[at + 1]!.id}"]`);
    await page.click('button[data-step="newer"]');
    await page.click('button[data-step="newer"]');
    await page.waitForSelector(`.event[data-event-id="${many[at - 1]!.id}"]`);
  });

  it('wraps an error type without spaces inside its column', async () => {
    await open(longId);
    await page.waitForSelector(`.event[data-event-id="${long.id}"]`);
    const fits = await page.$eval('.event-type', (el) => {
      const col = el.closest('.issue-main-col')!.getBoundingClientRect();
      const box = el.getBoundingClientRect();
      return { right: box.right <= col.right + 0.5, pageWidth: document.documentElement.scrollWidth <= window.innerWidth };
    });
    expect(fits).toEqual({ right: true, pageWidth: true });
  });
});
