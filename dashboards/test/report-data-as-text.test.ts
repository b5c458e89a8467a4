/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Every string from a report is text: markup, event handlers and javascript: URLs in a report render
// visibly and run nothing, on every page that shows report data.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, type PageLog } from './helpers/browser.js';
import { api, ingest, startTestCollector, type TestCollector } from './helpers/collector.js';
import { makeReport } from './helpers/reports.js';

const SCRIPT = '<script>window.__pwned = "script"; alert("script")</script>';
const IMG = '<img src=x onerror="window.__pwned = \'img\'; alert(\'img\')">';
const SVG = '<svg onload="window.__pwned = \'svg\'; alert(\'svg\')"></svg>';
const IFRAME = '<iframe src="javascript:alert(\'iframe\')"></iframe>';
const JS_URL = 'javascript:window.__pwned="href";alert("href")';
const LINK = '<a href="javascript:alert(\'a\')">click</a>';

const hostile = makeReport({
  service: `svc${IMG}`,
  environment: `env${SVG}`,
  type: `Type${IMG}`,
  message: `${SCRIPT} then ${IMG} and ${JS_URL}`,
  fn: `fn${SVG}`,
  file: `lib/${IMG}.ts`,
  frames: [
    { file: JS_URL, function: `handler${SCRIPT}`, line: 1, column: 1, inApp: true },
    { file: `/srv/node_modules/${IFRAME}/index.js`, function: `lib${IMG}`, line: 2, column: 2, inApp: false },
  ],
  asyncStack: [{ kind: 'errgroup', group: `group${SCRIPT}`, task: `task${IMG}`, frames: [{ file: JS_URL, function: `go${SVG}`, line: 3, column: 3, inApp: true }] }],
  causes: [{ type: `Cause${IFRAME}`, message: `cause ${SCRIPT}`, code: `E${IMG}`, frames: [] }],
  errors: [{ type: `Member${SVG}`, message: `member ${LINK}`, frames: [] }],
  tags: { [`k<b>bold</b>`]: SCRIPT, link: JS_URL, img: IMG },
  user: { name: IFRAME, email: LINK },
  request: { url: JS_URL, referer: 'https://ok.example.com/from', html: `${SCRIPT}${IMG}` },
  extra: { [`key${IMG}`]: { nested: [SVG, JS_URL] } },
});

/** Anything the payloads would create if they were parsed as HTML, or a javascript: link. */
async function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const el of document.querySelectorAll('#app script, #app img, #app iframe, #app b, #app svg:not(.sparkline), #app svg:not(.sparkline) *')) {
      if (el.closest('.u-wrap')) continue; // uPlot's own drawing nodes
      found.push(el.outerHTML.slice(0, 120));
    }
    for (const a of document.querySelectorAll('a[href]')) {
      const href = a.getAttribute('href') ?? '';
      if (!href.startsWith('/') && !/^https?:\/\//.test(href)) found.push(`a[href=${href}]`);
    }
    for (const el of document.querySelectorAll('*')) {
      for (const attr of el.getAttributeNames()) if (attr.startsWith('on')) found.push(`${el.tagName}[${attr}]`);
    }
    return found;
  });
}

async function noExecution(page: Page, log: PageLog): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(log.dialogs).toEqual([]);
  expect(log.pageErrors).toEqual([]);
  // A payload parsed as HTML would at least try to load `x` (or be blocked by the CSP, which logs an error).
  expect(log.requests.filter((u) => /\/x$/.test(u))).toEqual([]);
  expect(log.consoleErrors).toEqual([]);
  expect(await injected(page)).toEqual([]);
}

describe('report data rendered as text', () => {
  let collector: TestCollector;
  let browser: Browser;
  let issueId: string;

  beforeAll(async () => {
    collector = await startTestCollector();
    await ingest(collector.url, [hostile]);
    const { issues } = await api<{ issues: { id: string }[] }>(collector.url, '/api/issues');
    issueId = issues[0]!.id;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await collector?.close();
  });

  it('shows the payloads as text on the issue page and runs none of them', async () => {
    const { page, log } = await newPage(browser);
    await page.goto(`${collector.url}/issues/${issueId}`);
    await page.waitForSelector(`.event[data-event-id="${hostile.id}"]`);
    await page.click('[data-section="stack"] details > summary');
    const body = await page.evaluate(() => document.querySelector('#app')?.textContent ?? '');
    for (const payload of [SCRIPT, IMG, SVG, IFRAME, JS_URL, LINK, 'k<b>bold</b>']) expect(body).toContain(payload);
    expect(await page.textContent('.event-message')).toBe(hostile.message);
    expect(await page.isVisible(`text=${SCRIPT}`)).toBe(true);
    // The https referer is a link; the javascript: URL next to it is not.
    expect(await page.$$eval('[data-section="request"] a', (as) => as.map((a) => a.getAttribute('href')))).toEqual(['https://ok.example.com/from']);
    await noExecution(page, log);
    await page.context().close();
  });

  it('shows the payloads as text in the issue list and the overview, and runs none of them', async () => {
    const { page, log } = await newPage(browser);
    await page.goto(`${collector.url}/issues`);
    await page.waitForSelector('.issue-row');
    const row = await page.textContent('.issue-row');
    expect(row).toContain(`Type${IMG}`);
    expect(row).toContain(`svc${IMG}`);
    await page.goto(`${collector.url}/`);
    await page.waitForSelector('.top-issues .issue-row');
    await page.waitForSelector('[data-breakdown="service"] li');
    expect(await page.textContent('[data-breakdown="service"]')).toContain(`svc${IMG}`);
    expect(await page.textContent('[data-breakdown="environment"]')).toContain(`env${SVG}`);
    // The filter menus list the hostile names as option text.
    expect(await page.$$eval('select[name="service"] option', (os) => os.map((o) => o.textContent))).toContain(`svc${IMG}`);
    await noExecution(page, log);
    await page.context().close();
  });
});
