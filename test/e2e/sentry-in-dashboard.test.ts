/// <reference lib="dom" />
// A team that already runs a Sentry SDK points its DSN at faultline: the real @sentry/node client's events reach
// a collector process and read correctly in the dashboard (issue list and issue page, in Chromium).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepScreenshot, launchBrowser } from '../support/browser.js';
import { repoPath, requireBuilt, ROOT } from '../support/built.js';
import { startCollectorProcess, type CollectorProcess } from '../support/collector-process.js';
import { ReadApi, type IssueSummary } from '../support/read-api.js';

const SENTRY_CLIENT = repoPath('collector/test/interop/sentry/fixtures/sentry-client.mjs');
const run = promisify(execFile);

describe('Sentry events in the dashboard', () => {
  let collector: CollectorProcess;
  let browser: Browser;
  let page: Page;
  let issues: IssueSummary[];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    requireBuilt();
    collector = await startCollectorProcess();
    // No ingest keys on loopback: any DSN key is accepted (Sentry only requires it to be well formed).
    const dsn = `${collector.url.replace('http://', 'http://0123456789abcdef@')}/42`;
    const { stdout } = await run(process.execPath, [SENTRY_CLIENT, dsn, 'all'], { cwd: ROOT, timeout: 30_000 });
    expect(JSON.parse(stdout.trim())).toMatchObject({ flushed: true });
    const api = new ReadApi(collector.url);
    issues = await api.issues();
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await collector?.stop();
  });

  it('lists the three Sentry events as issues of the project’s service and environment', async () => {
    expect(issues.map((i) => i.title).sort()).toEqual(
      ['RangeError: quantity must be positive', 'TypeError: order 1234 could not be placed', 'payment provider slow: 2300 ms'].sort(),
    );
    for (const issue of issues) {
      expect(issue.service).toBe('sentry-project-42');
      expect(issue.environment).toBe('staging');
    }
    await page.goto(`${collector.url}/issues?status=all`);
    await page.waitForSelector('.issue-row');
    const titles = await page.$$eval('.issue-row .issue-title', (els) => els.map((e) => e.textContent ?? ''));
    expect(titles.sort()).toEqual(issues.map((i) => i.title).sort());
    expect(titles.join(' ')).not.toMatch(/undefined|null|^: |\s: /);
  });

  it('shows the exception with its cause, tags, user and trace id on the issue page', async () => {
    const issue = issues.find((i) => i.title.startsWith('TypeError'))!;
    await page.goto(`${collector.url}/issues/${issue.id}`);
    await page.waitForSelector('.event[data-event-id]');
    expect(await page.textContent('.event-message')).toBe('order 1234 could not be placed');
    const causes = await page.$$eval('[data-section="causes"] .linked-error', (lis) =>
      lis.map((li) => `${li.querySelector('.linked-type')?.textContent}: ${li.querySelector('.linked-message')?.textContent}`),
    );
    expect(causes).toEqual(['DatabaseError: connect ECONNREFUSED 10.0.0.1:5432']);
    const tags = Object.fromEntries(
      await page.$$eval('[data-section="tags"] .tag', (lis) => lis.map((li) => [li.querySelector('.tag-key')?.textContent, li.querySelector('.tag-value')?.textContent])),
    );
    expect(tags).toMatchObject({ region: 'eu-west', attempt: '3' });
    expect(await page.textContent('[data-section="user"]')).toContain('user-42');
    expect(await page.textContent('[data-section="trace"]')).toMatch(/[0-9a-f]{32}/);
    // In-app frames of the Sentry client's own file are marked as such.
    const inApp = await page.$$eval('[data-section="stack"] .frame.in-app .frame-fn', (els) => els.map((e) => e.textContent));
    expect(inApp).toEqual(expect.arrayContaining(['placeOrder']));
    keepScreenshot(await page.screenshot({ fullPage: true }), 'sentry-issue.png');
  });

  it('shows a message event (no exception) without an empty type', async () => {
    const issue = issues.find((i) => i.title.startsWith('payment provider'))!;
    expect(issue.level).toBe('warning');
    await page.goto(`${collector.url}/issues/${issue.id}`);
    await page.waitForSelector('.event[data-event-id]');
    expect(await page.textContent('.issue-heading')).toBe('payment provider slow: 2300 ms');
    expect(await page.textContent('.issue-header')).not.toMatch(/undefined|null/);
    expect(pageErrors).toEqual([]);
  });
});
