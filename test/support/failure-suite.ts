import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApp, type AppRecord } from './app-process.js';
import { repoPath, requireBuilt } from './built.js';
import type { CollectorProcess } from './collector-process.js';
import { markerLine } from './markers.js';
import { ReadApi, type IssueDetail } from './read-api.js';

export const FAILING_APP = repoPath('test/fixtures/failing-app.mjs');
const SERVICE = 'e2e-app';

interface Expected {
  readonly type: string;
  readonly scenario: string;
  readonly message: string;
  readonly level: 'error' | 'fatal';
  readonly mechanism: string;
  readonly code?: string;
  /** Marker of the line that made the error. */
  readonly thrownAt: string;
  /** The spawn chain, innermost first: kind, group, task, marker of the go(...) line. */
  readonly chain: readonly (readonly [kind: string, group: string, task: string, goMarker: string])[];
  readonly causes: readonly (readonly [type: string, message: string])[];
}

// What test/fixtures/failing-app.mjs does, failure by failure.
const EXPECTED: readonly Expected[] = [
  {
    type: 'InvoiceError',
    scenario: 'nested',
    message: 'invoice 42 cannot be rendered',
    level: 'error',
    mechanism: 'errgroup',
    thrownAt: 'throw-nested',
    chain: [
      ['errgroup', 'parts', 'render', 'go-part'],
      ['errgroup', 'steps', 'step', 'go-step'],
      ['errgroup', 'jobs', 'job', 'go-job'],
    ],
    causes: [['RangeError', 'page 3 of 2']],
  },
  {
    type: 'TimerError',
    scenario: 'timer',
    message: 'reminder could not be sent',
    level: 'error',
    mechanism: 'errgroup',
    thrownAt: 'throw-timer',
    chain: [['errgroup', 'reminders', 'send-reminder', 'go-timer']],
    causes: [],
  },
  {
    type: 'LookupError',
    scenario: 'callback',
    message: 'customer c-7 not found',
    level: 'error',
    mechanism: 'waitgroup',
    code: 'E_NO_CUSTOMER',
    thrownAt: 'throw-callback',
    chain: [['waitgroup', 'lookups', 'find-customer', 'go-callback']],
    causes: [],
  },
  {
    type: 'PaymentError',
    scenario: 'unhandled-rejection',
    message: 'card declined for order 7',
    level: 'fatal',
    mechanism: 'unhandledRejection',
    thrownAt: 'throw-rejection',
    chain: [],
    causes: [],
  },
  {
    type: 'ConfigError',
    scenario: 'uncaught-exception',
    message: 'setting PAYMENT_URL is missing',
    level: 'fatal',
    mechanism: 'uncaughtException',
    thrownAt: 'throw-uncaught',
    chain: [],
    causes: [],
  },
];

const MODES = ['handled', 'unhandled-rejection', 'uncaught-exception'] as const;

/**
 * The end-to-end suite over real processes: a collector process (from `start`), the failing application run
 * in each of its modes against it, then every failure checked through the read API. Run once per store.
 */
export function describeFailureSuite(store: string, start: () => Promise<CollectorProcess>, cleanup: () => Promise<void> = async () => undefined): void {
  describe(`an application's failures reach the collector (${store})`, () => {
    let collector: CollectorProcess;
    let api: ReadApi;
    let window: { from: number; to: number };
    const runs = new Map<string, Awaited<ReturnType<typeof runApp>>>();
    const details = new Map<string, IssueDetail>();
    const spans = new Map<string, AppRecord>();

    beforeAll(async () => {
      requireBuilt();
      collector = await start();
      api = new ReadApi(collector.url);
      const from = Date.now();
      await Promise.all(
        MODES.map(async (mode) => runs.set(mode, await runApp(FAILING_APP, [mode], { FAULTLINE_ENDPOINT: collector.url }))),
      );
      window = { from, to: Date.now() };
      for (const run of runs.values()) for (const record of run.records) if (typeof record.scenario === 'string') spans.set(record.scenario, record);
      for (const issue of await api.issues({ service: SERVICE })) details.set(issue.type, await api.issue(issue.id));
    }, 120_000);

    afterAll(async () => {
      await collector?.stop();
      await cleanup();
    });

    it('the application exits as Node would: 0 after handled failures, 1 after an unhandled rejection or an uncaught exception', () => {
      expect(runs.get('handled')?.exit).toEqual({ code: 0, signal: null });
      expect(runs.get('handled')?.records).toContainEqual({ done: true, flushed: true });
      expect(runs.get('unhandled-rejection')?.exit.code).toBe(1);
      expect(runs.get('unhandled-rejection')?.stderr).toContain('card declined for order 7');
      expect(runs.get('uncaught-exception')?.exit.code).toBe(1);
      expect(runs.get('uncaught-exception')?.stderr).toContain('setting PAYMENT_URL is missing');
    });

    it('each failure is one issue of the service, holding one event', async () => {
      const issues = await api.issues({ service: SERVICE });
      expect(issues.map((i) => i.type).sort()).toEqual(EXPECTED.map((e) => e.type).sort());
      for (const issue of issues) {
        expect(issue.count, issue.type).toBe(1);
        expect(issue.service).toBe(SERVICE);
        expect(issue.environment).toBe('e2e');
        expect(issue.status).toBe('unresolved');
      }
    });

    it.each(EXPECTED)('$type: message, type, code, level and mechanism', (expected) => {
      const issue = details.get(expected.type)!;
      expect(issue, `no issue of type ${expected.type}`).toBeDefined();
      expect(issue.level).toBe(expected.level);
      expect(issue.title).toContain(expected.message);
      const event = issue.latestEvent!;
      expect(event.message).toBe(expected.message);
      expect(event.type).toBe(expected.type);
      expect(event.code).toBe(expected.code);
      expect(event.level).toBe(expected.level);
      expect(event.mechanism).toBe(expected.mechanism);
      expect(event.handled).toBe(expected.level !== 'fatal');
    });

    it.each(EXPECTED)('$type: timestamp within the run, and the in-app frame of the line that made it', (expected) => {
      const event = details.get(expected.type)!.latestEvent!;
      const at = Date.parse(event.timestamp);
      expect(at).toBeGreaterThanOrEqual(window.from);
      expect(at).toBeLessThanOrEqual(window.to);
      const top = event.frames.find((f) => f.inApp);
      expect(top, 'an in-app frame').toBeDefined();
      expect(top!.file).toMatch(/test\/fixtures\/failing-app\.mjs$/);
      expect(top!.line).toBe(markerLine(FAILING_APP, expected.thrownAt));
      expect(event.frames.filter((f) => f.file.startsWith('node:')).every((f) => !f.inApp)).toBe(true);
    });

    it.each(EXPECTED)("$type: the async spawn chain names each task and the application's go(...) line", (expected) => {
      const event = details.get(expected.type)!.latestEvent!;
      const chain = (event.asyncStack ?? []).map((link) => [link.kind, link.group, link.task, link.frames[0]?.file, link.frames[0]?.line]);
      expect(chain).toEqual(
        expected.chain.map(([kind, group, task, marker]) => [kind, group, task, expect.stringMatching(/test\/fixtures\/failing-app\.mjs$/), markerLine(FAILING_APP, marker)]),
      );
    });

    it.each(EXPECTED)('$type: causes', (expected) => {
      const event = details.get(expected.type)!.latestEvent!;
      expect((event.causes ?? []).map((c) => [c.type, c.message])).toEqual(expected.causes);
    });

    it.each(EXPECTED)('$type: tags, service, and the trace id of the span that was active', (expected) => {
      const event = details.get(expected.type)!.latestEvent!;
      expect(event.context.tags).toEqual({ app: 'failing-app', scenario: expected.scenario });
      expect(event.service).toEqual({ name: SERVICE, version: '2.3.4', environment: 'e2e' });
      const span = spans.get(expected.scenario);
      expect(span, `the fixture printed the span of ${expected.scenario}`).toBeDefined();
      expect(event.trace).toEqual({ traceId: span!.traceId, spanId: span!.spanId });
    });
  });
}
