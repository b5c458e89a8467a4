/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// One issue in Chromium against a real collector: the seeded report's frames, spawn chain, causes and
// context, its occurrences, stepping through events, and status changes that reach the API.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, screenshot, type PageLog } from '../helpers/browser.js';
import { api, ingest, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { makeReport } from '../helpers/reports.js';
import { query, text } from '../helpers/ui.js';

describe('issue page', () => {
  let collector: TestCollector;
  let browser: Browser;
  let page: Page;
  let log: PageLog;
  let issueId: string;
  const now = Date.now();
  // Four events of one issue, an hour apart; the newest is the full report the page opens on.
  const events = [3, 2, 1, 0].map((hoursAgo) =>
    makeReport({
      message: `card declined for order o_${1000 + hoursAgo}`,
      at: new Date(now - hoursAgo * 3_600_000 - 60_000),
      traceId: hoursAgo === 0 ? '4bf92f3577b34da6a3ce929d0e0e4736' : undefined,
      errors: hoursAgo === 0 ? [{ type: 'SyncError', message: 'warehouse eu-1 returned 502', frames: [] }] : undefined,
    }),
  );
  const latest = events[events.length - 1]!;
  const url = (): string => `${collector.url}/issues/${issueId}`;

  beforeAll(async () => {
    collector = await startTestCollector();
    await ingest(collector.url, events);
    const { issues } = await api<{ issues: { id: string; count: number }[] }>(collector.url, '/api/issues');
    expect(issues).toHaveLength(1);
    expect(issues[0]!.count).toBe(4);
    issueId = issues[0]!.id;
    browser = await launchBrowser();
    ({ page, log } = await newPage(browser));
    await page.goto(url());
    await page.waitForSelector(`.event[data-event-id="${latest.id}"]`);
  });

  afterAll(async () => {
    await browser?.close();
    await collector?.close();
  });

  it('shows the title, type and message', async () => {
    const issue = await api<{ title: string }>(collector.url, `/api/issues/${issueId}`);
    expect(await text(page, '.issue-heading')).toBe(issue.title);
    expect(await text(page, '.issue-header .issue-type')).toBe('PaymentDeclinedError');
    expect(await text(page, '.event-message')).toBe(latest.message);
    expect(await text(page, '.issue-count')).toBe('4');
    expect(log.pageErrors).toEqual([]);
  });

  it('marks in-app frames and folds library frames', async () => {
    const stack = '[data-section="stack"] > ol.frames';
    const inApp = await page.$$eval(`${stack} > li > .frame.in-app .frame-fn`, (els) => els.map((e) => e.textContent));
    expect(inApp).toEqual(latest.frames.filter((f) => f.inApp).map((f) => `${f.async ? 'async ' : ''}${f.function}`));
    const folds = await page.$$eval(`${stack} > li.folded > details`, (ds) => ds.map((d) => [(d as HTMLDetailsElement).open, d.querySelector('summary')?.textContent]));
    // Library runs in the seeded stack: 2 (undici), 1 (task queue), 1 (fastify).
    expect(folds).toEqual([
      [false, '2 library frames'],
      [false, '1 library frame'],
      [false, '1 library frame'],
    ]);
    expect(await page.isVisible(`${stack} .frame.library`)).toBe(false);
    await page.click(`${stack} > li.folded > details > summary >> nth=0`);
    const shown = await page.$$eval(`${stack} > li.folded > details[open] .frame.library .frame-fn`, (els) => els.map((e) => e.textContent));
    expect(shown).toEqual(['fetchFinale', 'mainFetch']);
    expect(await text(page, `${stack} .frame.in-app .frame-loc`)).toBe('/srv/checkout/src/payments/charge.ts:42:13');
  });

  it('shows the async spawn chain with group and task names and the go(...) lines', async () => {
    const chain = await page.$$eval('[data-section="async"] li.spawn', (lis) =>
      lis.map((li) => ({
        kind: li.getAttribute('data-kind'),
        group: li.querySelector('.spawn-group')?.textContent,
        task: li.querySelector('.spawn-task')?.textContent,
        go: li.querySelector('.spawn-site .go-call')?.textContent,
        site: li.querySelector('.spawn-site .frame-loc')?.textContent,
        fn: li.querySelector('.spawn-site .frame-fn')?.textContent,
      })),
    );
    expect(chain).toEqual([
      { kind: 'errgroup', group: 'place-order', task: 'charge-card', go: 'g.go(…)', site: '/srv/checkout/src/orders/place-order.ts:28:13', fn: 'placeOrder' },
      { kind: 'waitgroup', group: 'http-server', task: 'POST /checkout', go: 'wg.go(…)', site: '/srv/checkout/src/http/server.ts:19:13', fn: 'onRequest' },
    ]);
  });

  it('shows the cause chain and the aggregated errors', async () => {
    const causes = await page.$$eval('[data-section="causes"] .linked-error', (lis) =>
      lis.map((li) => [li.querySelector('.linked-type')?.textContent, li.querySelector('.linked-code')?.textContent, li.querySelector('.linked-message')?.textContent]),
    );
    expect(causes).toEqual(latest.causes!.map((c) => [c.type, c.code, c.message]));
    expect(await text(page, '[data-section="errors"] .linked-message')).toBe('warehouse eu-1 returned 502');
  });

  it('shows tags, user, request, extra and the trace id', async () => {
    const tags = await page.$$eval('[data-section="tags"] .tag', (lis) => lis.map((li) => [li.querySelector('.tag-key')?.textContent, li.querySelector('.tag-value')?.textContent]));
    expect(tags).toEqual(Object.entries(latest.context.tags));
    expect(await text(page, '[data-section="user"]')).toContain('u_8812');
    expect(await page.getAttribute('[data-section="request"] a.val-url', 'href')).toBe('https://shop.example.com/checkout');
    expect(await text(page, '[data-section="request"]')).toContain('curl/8.5');
    expect(await text(page, '[data-section="extra"]')).toContain('o_1042');
    expect(await text(page, '[data-section="trace"]')).toContain('4bf92f3577b34da6a3ce929d0e0e4736');
    await screenshot(page, 'issue.png');
  });

  it('shows the occurrences over time', async () => {
    await page.waitForSelector('.occurrences .time-chart canvas');
    expect(await page.getAttribute('.occurrences .time-chart', 'data-total')).toBe('4');
  });

  it('steps between the recent events', async () => {
    const ids = [...events].reverse().map((e) => e.id);
    expect(await page.$$eval('.event-list button[data-event-id]', (bs) => bs.map((b) => b.getAttribute('data-event-id')))).toEqual(ids);
    for (const id of ids.slice(1)) {
      await page.click('button[data-step="older"]');
      await page.waitForSelector(`.event[data-event-id="${id}"]`);
      expect(query(page).get('event')).toBe(id);
    }
    expect(await text(page, '.event-message')).toBe(events[0]!.message);
    expect(await page.isDisabled('button[data-step="older"]')).toBe(true);
    await page.click('button[data-step="newer"]');
    await page.waitForSelector(`.event[data-event-id="${ids[2]}"]`);
    await page.click(`.event-list button[data-event-id="${latest.id}"]`);
    await page.waitForSelector(`.event[data-event-id="${latest.id}"]`);
    expect(await page.isDisabled('button[data-step="newer"]')).toBe(true);
  });

  it('resolves, reopens and ignores the issue, and the API agrees', async () => {
    const status = async (): Promise<string> => (await api<{ status: string }>(collector.url, `/api/issues/${issueId}`)).status;
    for (const [action, expected] of [
      ['resolved', 'resolved'],
      ['unresolved', 'unresolved'],
      ['ignored', 'ignored'],
      ['unresolved', 'unresolved'],
    ] as const) {
      await page.click(`.status-actions button[data-action="${action}"]`);
      await page.waitForSelector(`.issue-page[data-status="${expected}"]`);
      expect(await status()).toBe(expected);
    }
  });
});
