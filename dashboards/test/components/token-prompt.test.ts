/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The read-token flow against a collector started with a read token: the UI explains the 401, takes the
// token once, sends it as a Bearer credential, and says when a saved token is refused.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { ingest, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { makeReport } from '../helpers/reports.js';
import { settled } from '../helpers/ui.js';

const TOKEN = 'read-token-for-tests-7c1d';

describe('read-token prompt', () => {
  let collector: TestCollector;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const authHeaders: (string | undefined)[] = [];

  beforeAll(async () => {
    collector = await startTestCollector({ readToken: TOKEN });
    await ingest(collector.url, [makeReport({ message: 'visible only with the token' })]);
    browser = await launchBrowser();
    context = await browser.newContext();
    page = await context.newPage();
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/')) authHeaders.push(r.headers().authorization);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await collector?.close();
  });

  it('explains the 401 and asks for the token', async () => {
    await page.goto(`${collector.url}/issues`);
    await page.waitForSelector('.token-prompt');
    expect(await page.textContent('[data-testid="auth-reason"]')).toMatch(/requires a read token.*401 Unauthorized/);
    expect(await page.textContent('.token-prompt .server-message')).toMatch(/read token/i);
    expect(await page.$('.issue-row')).toBeNull();
    expect(authHeaders.every((h) => h === undefined)).toBe(true);
  });

  it('sends the entered token as a Bearer credential and shows the data', async () => {
    await page.fill('.token-prompt input[name="token"]', TOKEN);
    await page.click('.token-prompt button[type="submit"]');
    await settled(page);
    await page.waitForSelector('.issue-row');
    expect(await page.textContent('.issue-row .issue-title')).toContain('visible only with the token');
    expect(authHeaders.at(-1)).toBe(`Bearer ${TOKEN}`);
  });

  it('asks only once: a new page in the same browser uses the stored token', async () => {
    const again = await context.newPage();
    await again.goto(`${collector.url}/`);
    await settled(again);
    expect(await again.$('.token-prompt')).toBeNull();
    await again.close();
  });

  it('says so when the saved token is refused', async () => {
    await page.evaluate(() => localStorage.setItem('faultline.readToken', 'stale-token'));
    await page.reload();
    await page.waitForSelector('.token-prompt');
    expect(await page.textContent('[data-testid="auth-reason"]')).toMatch(/refused the read token saved in this browser/);
    await page.fill('.token-prompt input[name="token"]', TOKEN);
    await page.click('.token-prompt button[type="submit"]');
    await page.waitForSelector('.issue-row');
  });
});
