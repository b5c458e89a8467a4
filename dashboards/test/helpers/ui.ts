/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Reading the UI the way a user sees it, for the browser tests.
import type { Page } from 'playwright-core';

/** Waits until the current page has rendered its data (no request of its own in flight). */
export async function settled(page: Page, selector = '.page'): Promise<void> {
  await page.waitForSelector(`${selector}[data-loading="false"]`, { timeout: 20_000 });
}

/** The titles of the issue rows on screen, in order. */
export function rowTitles(page: Page): Promise<string[]> {
  return page.$$eval('.issue-row .issue-title', (els) => els.map((e) => e.textContent ?? ''));
}

export function rowIds(page: Page): Promise<string[]> {
  return page.$$eval('.issue-row', (els) => els.map((e) => e.getAttribute('data-issue-id') ?? ''));
}

export function text(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (e) => e.textContent ?? '');
}

/** The current URL's query parameters. */
export function query(page: Page): URLSearchParams {
  return new URL(page.url()).searchParams;
}
