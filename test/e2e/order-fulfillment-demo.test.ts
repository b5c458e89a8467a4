import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppProcess, runApp } from '../support/app-process.js';
import { keepScreenshot, launchBrowser } from '../support/browser.js';
import { DEMO_MAIN, repoPath, requireBuilt } from '../support/built.js';
import { startCollectorProcess, type CollectorProcess } from '../support/collector-process.js';
import { parseDemoSummary, type DemoSummary } from '../support/demo-output.js';
import { freePort } from '../support/free-port.js';
import { lineContaining } from '../support/markers.js';
import { ReadApi, type StoredReport } from '../support/read-api.js';

const SERVICE = 'order-fulfillment';
const FULFIL_ORDER = repoPath('examples/order-fulfillment/src/fulfil-order.ts');
const PROCESS_ORDERS = repoPath('examples/order-fulfillment/src/process-orders.ts');
const REQUIRED = ['inventory', 'risk'];
const DEGRADABLE = ['coupons', 'points'];

// The go(...) line of each task, found in the demo's source (reports map dist frames back to it).
const GO_LINES: Record<string, number> = {
  inventory: lineContaining(FULFIL_ORDER, 'services.reserveStock(order, signal)'),
  coupons: lineContaining(FULFIL_ORDER, 'services.redeemCoupon(order, signal)'),
  points: lineContaining(FULFIL_ORDER, 'services.awardPoints(order, signal)'),
  risk: lineContaining(FULFIL_ORDER, 'services.checkRisk(order, signal)'),
};
const ORDER_GO_LINE = lineContaining(PROCESS_ORDERS, 'await g.go(');
const BATCH_GO_LINE = lineContaining(PROCESS_ORDERS, 'await all.go(');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'faultline-demo-'));
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/healthz`);
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

describe('the order-fulfillment demo against a running collector', () => {
  let collector: CollectorProcess;
  let api: ReadApi;
  let first: Awaited<ReturnType<typeof runApp>>;
  let second: Awaited<ReturnType<typeof runApp>>;
  let secondEvents: StoredReport[];
  let summary: DemoSummary;
  let events: StoredReport[];

  beforeAll(async () => {
    requireBuilt();
    collector = await startCollectorProcess();
    api = new ReadApi(collector.url);
    const cwd = tempDir();
    first = await runApp(DEMO_MAIN, [], { FAULTLINE_ENDPOINT: collector.url }, cwd);
    summary = parseDemoSummary(first.text);
    events = await api.eventsOfService(SERVICE);
    second = await runApp(DEMO_MAIN, [], { FAULTLINE_ENDPOINT: collector.url }, cwd);
    const firstIds = new Set(events.map((e) => e.id));
    secondEvents = (await api.eventsOfService(SERVICE)).filter((e) => !firstIds.has(e.id));
  }, 120_000);

  afterAll(async () => {
    await collector?.stop();
  });

  it('uses the collector that answers, prints where the issues are, and exits when the run is over', () => {
    expect(first.exit).toEqual({ code: 0, signal: null });
    expect(first.text[0]).toBe(`faultline order-fulfillment demo: reporting to the collector at ${collector.url}`);
    expect(first.text).toContain(`issues:   ${collector.url}/issues?service=${SERVICE}`);
    expect(first.text).toContain('every report was delivered to the collector.');
  });

  it('the summary adds up: ok + degraded + failed = orders; compensated orders are failed ones', () => {
    expect(summary.orders).toBe(300);
    expect(summary.ok + summary.degraded + summary.failed).toBe(summary.orders);
    expect(summary.compensated).toBeLessThanOrEqual(summary.failed);
    // The seeded default run has each outcome (a run without failures would show nothing).
    for (const n of [summary.ok, summary.degraded, summary.failed, summary.compensated, summary.undoFailed]) expect(n).toBeGreaterThan(0);
    expect(summary.reports).toBe(Object.values(summary.reportsByLevel).reduce((a, b) => a + b, 0));
  });

  // Outcomes repeat exactly under fake timers (examples/order-fulfillment/test/process-orders.test.ts); a real
  // process on a loaded machine may miss extra deadlines, so here the seeded orders themselves are compared.
  it('the same seed makes the same orders: each order id has the same customer and region in both runs', () => {
    expect(second.exit.code).toBe(0);
    expect(parseDemoSummary(second.text).orders).toBe(summary.orders);
    const firstRun = new Map(events.map((e) => [e.context.tags.order, `${e.context.tags.customer} ${e.context.tags.region}`]));
    const common = secondEvents.filter((e) => firstRun.has(e.context.tags.order));
    expect(common.length).toBeGreaterThan(0);
    for (const e of common) expect(`${e.context.tags.customer} ${e.context.tags.region}`, e.context.tags.order).toBe(firstRun.get(e.context.tags.order));
  });

  it('every report it made is stored, once, by level as the summary says', () => {
    expect(events).toHaveLength(summary.reports);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const byLevel: Record<string, number> = {};
    for (const e of events) byLevel[e.level] = (byLevel[e.level] ?? 0) + 1;
    expect(byLevel).toEqual(summary.reportsByLevel);
  });

  it('a failed degradable call is a warning, a failed required call an error, one per failed order', () => {
    const callFailures = events.filter((e) => e.type !== 'CompensationFailedError');
    for (const e of callFailures) {
      const task = e.group!.task;
      expect([...REQUIRED, ...DEGRADABLE]).toContain(task);
      expect(e.level).toBe(REQUIRED.includes(task) ? 'error' : 'warning');
      expect(e.group!.optional).toBe(DEGRADABLE.includes(task));
      expect(e.mechanism).toBe('errgroup');
    }
    const failedOrders = callFailures.filter((e) => e.level === 'error').map((e) => e.context.tags.order);
    expect(new Set(failedOrders).size).toBe(failedOrders.length);
    expect(failedOrders).toHaveLength(summary.failed);
    const degradedOrWorse = new Set(callFailures.filter((e) => e.level === 'warning').map((e) => e.context.tags.order));
    expect(degradedOrWorse.size).toBeGreaterThanOrEqual(summary.degraded);
  });

  it("each failure carries the three-level spawn chain call → order → batch, with the demo's go(...) lines", () => {
    for (const e of events) {
      const order = e.context.tags.order!;
      const [call, orderTask, batch, ...rest] = e.asyncStack ?? [];
      expect(rest).toEqual([]);
      expect(call).toMatchObject({ kind: 'errgroup', group: `order ${order}`, task: e.group!.task });
      expect(call!.frames[0]).toMatchObject({ file: expect.stringMatching(/order-fulfillment\/src\/fulfil-order\.ts$/), line: GO_LINES[call!.task] });
      expect(orderTask).toMatchObject({ kind: 'errgroup', group: expect.stringMatching(/^batch \d+$/), task: `order ${order}` });
      expect(orderTask!.frames[0]).toMatchObject({ file: expect.stringMatching(/process-orders\.ts$/), line: ORDER_GO_LINE });
      expect(batch).toMatchObject({ kind: 'errgroup', group: 'batches', task: orderTask!.group });
      expect(batch!.frames[0]).toMatchObject({ file: expect.stringMatching(/process-orders\.ts$/), line: BATCH_GO_LINE });
    }
  });

  it('a compensation that fails is reported as an error with its cause, for an order that failed', () => {
    const undo = events.filter((e) => e.type === 'CompensationFailedError');
    expect(undo).toHaveLength(summary.undoFailed);
    const failedOrders = new Set(events.filter((e) => e.level === 'error' && e.type !== 'CompensationFailedError').map((e) => e.context.tags.order));
    for (const e of undo) {
      expect(e.level).toBe('error');
      expect(e.code).toBe('COUPON_RESTORE_FAILED');
      expect(e.group!.task).toBe('coupons');
      expect(e.causes?.[0]).toMatchObject({ type: 'CouponServiceError', message: 'coupon service answered 503 Service Unavailable' });
      expect(failedOrders.has(e.context.tags.order)).toBe(true);
    }
  });

  it('every report carries the order id, customer and region as tags', () => {
    for (const e of events) {
      expect(e.context.tags).toEqual({
        order: expect.stringMatching(/^ORD-\d{5}$/),
        customer: expect.stringMatching(/^cus-\d{3}$/),
        region: expect.stringMatching(/^(eu-west|us-east|ap-south)$/),
      });
      expect(e.service).toMatchObject({ name: SERVICE, environment: 'demo' });
    }
  });

  it("every report carries the trace id of its order's span: one trace per order", () => {
    const traceOfOrder = new Map<string, string>();
    for (const e of events) {
      expect(e.trace?.traceId).toMatch(/^[0-9a-f]{32}$/);
      const order = e.context.tags.order!;
      expect(traceOfOrder.get(order) ?? e.trace!.traceId, order).toBe(e.trace!.traceId);
      traceOfOrder.set(order, e.trace!.traceId);
    }
    expect(new Set(traceOfOrder.values()).size).toBe(traceOfOrder.size);
  });

  it('the issues it points at exist: one per kind of failure, on the dashboard it names', async () => {
    const issues = await api.issues({ service: SERVICE });
    const types = new Set(issues.map((i) => i.type));
    for (const type of ['OutOfStockError', 'RiskDeclinedError', 'CouponServiceError', 'PointsLedgerError', 'CompensationFailedError']) expect(types).toContain(type);
    const page = await fetch(`${collector.url}/issues?service=${SERVICE}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    await page.body?.cancel();
  });

  it("the dashboard's overview shows the demo's issues (the README's screenshot)", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(`${collector.url}/?service=${SERVICE}&range=1h`);
      await page.waitForSelector('.page[data-loading="false"] .top-issues .issue-title', { timeout: 20_000 });
      const titles = await page.$$eval('.top-issues .issue-title', (els) => els.map((e) => e.textContent ?? ''));
      const top = await api.issues({ service: SERVICE, sort: 'count' });
      expect(titles).toEqual(top.slice(0, 10).map((i) => i.title));
      keepScreenshot(await page.screenshot({ fullPage: true }), 'demo-overview.png');
    } finally {
      await browser.close();
    }
  });
});

describe('the order-fulfillment demo when no collector answers', () => {
  it('starts one storing into ./data/faultline.db, keeps it until Ctrl-C, then stops it', async () => {
    requireBuilt();
    const cwd = tempDir();
    const url = `http://127.0.0.1:${await freePort()}`;
    const demo = new AppProcess(DEMO_MAIN, ['--orders', '40'], { FAULTLINE_ENDPOINT: url }, cwd);
    try {
      await demo.waitForRecord('the demo to say the collector keeps running', (r) => typeof r.text === 'string' && r.text.includes('press Ctrl-C'), 60_000);
      expect(demo.text[0]).toContain(`started a collector at ${url} (storing into ./data/faultline.db`);
      expect(existsSync(join(cwd, 'data', 'faultline.db'))).toBe(true);
      const summary = parseDemoSummary(demo.text);
      expect(summary.orders).toBe(40);
      const events = await new ReadApi(url).eventsOfService(SERVICE);
      expect(events).toHaveLength(summary.reports);
      demo.signal('SIGINT');
      expect(await demo.exited).toEqual({ code: 0, signal: null });
      expect(await answers(url)).toBe(false);
    } finally {
      demo.kill();
    }
  }, 90_000);

  it('with --exit, stops the collector it started as soon as the run is over', async () => {
    requireBuilt();
    const url = `http://127.0.0.1:${await freePort()}`;
    const run = await runApp(DEMO_MAIN, ['--orders', '20', '--exit'], { FAULTLINE_ENDPOINT: url }, tempDir());
    expect(run.exit).toEqual({ code: 0, signal: null });
    expect(run.text).toContain('stopping the collector...');
    expect(parseDemoSummary(run.text).orders).toBe(20);
    expect(await answers(url)).toBe(false);
  }, 90_000);

  it('a bad setting fails at once, naming it and its limits', async () => {
    const run = await runApp(DEMO_MAIN, ['--orders', '0'], {}, tempDir());
    expect(run.exit.code).toBe(1);
    expect(run.stderr).toContain('Expected --orders to be an integer from 1 to 10000, got "0"');
  });
});
