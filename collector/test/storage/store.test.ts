import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/storage/postgres-store.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import type { IssueQuery, Store } from '../../src/storage/store.js';
import { prepared } from '../helpers/events.js';
import { POSTGRES_SKIP_REASON, TEST_DATABASE_URL, createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);

interface Implementation {
  name: string;
  skip?: string;
  setup(): Promise<void>;
  /** A fresh, empty store. */
  open(): Promise<Store>;
  /** The same database opened again (migrations must be idempotent). */
  reopen(): Promise<Store>;
  teardown(): Promise<void>;
}

const sqliteDir = mkdtempSync(join(tmpdir(), 'faultline-store-'));
let sqliteFile = '';
let database: TestDatabase | undefined;

const implementations: Implementation[] = [
  {
    name: 'SqliteStore',
    async setup() {},
    async open() {
      sqliteFile = join(sqliteDir, `${Math.random().toString(36).slice(2)}.db`);
      return SqliteStore.open(sqliteFile);
    },
    async reopen() {
      return SqliteStore.open(sqliteFile);
    },
    async teardown() {
      rmSync(sqliteDir, { recursive: true, force: true });
    },
  },
  {
    name: 'PostgresStore',
    skip: TEST_DATABASE_URL === undefined ? POSTGRES_SKIP_REASON : undefined,
    async setup() {
      database = await createTestDatabase();
    },
    async open() {
      const store = await PostgresStore.open(database!.url);
      await database!.truncate();
      return store;
    },
    async reopen() {
      return PostgresStore.open(database!.url);
    },
    async teardown() {
      await database?.drop();
    },
  },
];

const list = (overrides: Partial<IssueQuery> = {}): IssueQuery => ({ sort: 'lastSeen', limit: 50, ...overrides });

for (const impl of implementations) {
  describe.skipIf(impl.skip !== undefined)(impl.skip === undefined ? impl.name : `${impl.name} (${impl.skip})`, () => {
    let store: Store;
    const opened: Store[] = [];

    beforeAll(() => impl.setup());
    afterAll(async () => {
      for (const s of opened) await s.close().catch(() => undefined);
      await impl.teardown();
    });
    beforeEach(async () => {
      store = await impl.open();
      opened.push(store);
    });

    describe('writeEvents', () => {
      it('stores each event id once, within a call and across calls', async () => {
        const a = prepared({ timestamp: T0 });
        const b = prepared({ timestamp: T0 + 1 });
        const first = await store.writeEvents([a, b, a]);
        expect(first.stored).toEqual([true, true, false]);
        const second = await store.writeEvents([b, prepared({ timestamp: T0 + 2 })]);
        expect(second.stored).toEqual([false, true]);
        const [issue] = await store.listIssues(list());
        expect(issue!.count).toBe(3);
        const events = await store.listEvents({ issueId: issue!.id, limit: 10 });
        expect(events).toHaveLength(3);
      });

      it('creates one issue per service and fingerprint, and reports which were created', async () => {
        const result = await store.writeEvents([
          prepared({ service: 'checkout', fingerprint: 'x', timestamp: T0 }),
          prepared({ service: 'billing', fingerprint: 'x', timestamp: T0 }),
          prepared({ service: 'checkout', fingerprint: 'x', timestamp: T0 + 1 }),
        ]);
        expect(result.created).toHaveLength(2);
        const issues = await store.listIssues(list({ sort: 'count' }));
        expect(issues.map((i) => [i.service, i.count])).toEqual([
          ['checkout', 2],
          ['billing', 1],
        ]);
        const again = await store.writeEvents([prepared({ service: 'billing', fingerprint: 'x', timestamp: T0 + 2 })]);
        expect(again.created).toEqual([]);
      });

      it("takes the issue's environment, level and latest event from its newest event, whatever the arrival order", async () => {
        const newest = prepared({ environment: 'staging', level: 'fatal', timestamp: T0 + HOUR });
        await store.writeEvents([newest]);
        await store.writeEvents([prepared({ environment: 'production', level: 'warning', timestamp: T0 })]);
        const [issue] = await store.listIssues(list());
        expect(issue).toMatchObject({ environment: 'staging', level: 'fatal', firstSeen: T0, lastSeen: T0 + HOUR, count: 2 });
        const detail = await store.getIssue(issue!.id);
        expect(detail!.latestEventId).toBe(newest.id);
      });

      it('keeps title, type, message and culprit of the first event', async () => {
        await store.writeEvents([prepared({ title: 'TypeError: first', message: 'first', timestamp: T0 })]);
        await store.writeEvents([prepared({ title: 'TypeError: second', message: 'second', timestamp: T0 + 1 })]);
        const [issue] = await store.listIssues(list());
        const detail = await store.getIssue(issue!.id);
        expect(detail).toMatchObject({ title: 'TypeError: first', message: 'first', type: 'TypeError', culprit: 'computeTotal (src/cart.ts)', grouping: 1, fingerprint: 'fp-a' });
      });

      it('reopens a resolved issue as regressed on a new event, not on a duplicate', async () => {
        const e = prepared({ timestamp: T0 });
        await store.writeEvents([e]);
        const [issue] = await store.listIssues(list());
        await store.setIssueStatus(issue!.id, 'resolved', T0 + 10);
        const duplicate = await store.writeEvents([e]);
        expect(duplicate.regressed).toEqual([]);
        expect((await store.getIssue(issue!.id))!.status).toBe('resolved');
        const fresh = await store.writeEvents([prepared({ timestamp: T0 + 20 })]);
        expect(fresh.regressed).toEqual([{ service: 'checkout', environment: 'production' }]);
        expect(await store.getIssue(issue!.id)).toMatchObject({ status: 'unresolved', regressed: true, count: 2 });
      });

      it('leaves an ignored issue ignored when new events arrive', async () => {
        await store.writeEvents([prepared({ timestamp: T0 })]);
        const [issue] = await store.listIssues(list());
        await store.setIssueStatus(issue!.id, 'ignored', T0);
        const result = await store.writeEvents([prepared({ timestamp: T0 + 1 })]);
        expect(result.regressed).toEqual([]);
        expect(await store.getIssue(issue!.id)).toMatchObject({ status: 'ignored', regressed: false, count: 2 });
      });
    });

    describe('setIssueStatus', () => {
      it('sets the status, clears regressed, and answers undefined for an unknown issue', async () => {
        await store.writeEvents([prepared({ timestamp: T0 })]);
        const [issue] = await store.listIssues(list());
        await store.setIssueStatus(issue!.id, 'resolved', T0);
        await store.writeEvents([prepared({ timestamp: T0 + 1 })]);
        const updated = await store.setIssueStatus(issue!.id, 'ignored', T0 + 2);
        expect(updated).toMatchObject({ id: issue!.id, status: 'ignored', regressed: false });
        expect(await store.setIssueStatus('999999', 'resolved', T0)).toBeUndefined();
      });
    });

    describe('listIssues', () => {
      beforeEach(async () => {
        // Five issues: fingerprint i has i+1 events, first seen at T0+i hours, last seen at T0+(10-i) hours.
        const events = [];
        for (let i = 0; i < 5; i++) {
          for (let n = 0; n <= i; n++) {
            const ts = n === 0 ? T0 + i * HOUR : T0 + (10 - i) * HOUR;
            events.push(
              prepared({
                fingerprint: `fp-${i}`,
                service: i % 2 === 0 ? 'checkout' : 'billing',
                environment: n === 1 ? 'staging' : 'production',
                level: i === 4 ? 'fatal' : 'error',
                title: `Error${i}: failure number ${i}`,
                message: i === 3 ? 'card 100%_declined' : `failure ${i}`,
                culprit: i === 2 ? 'chargeCard (src/payments.ts)' : 'handler (src/app.ts)',
                timestamp: ts,
              }),
            );
          }
        }
        await store.writeEvents(events);
      });

      it.each([
        ['lastSeen', ['fp-1', 'fp-2', 'fp-3', 'fp-4', 'fp-0']],
        ['firstSeen', ['fp-4', 'fp-3', 'fp-2', 'fp-1', 'fp-0']],
        ['count', ['fp-4', 'fp-3', 'fp-2', 'fp-1', 'fp-0']],
      ] as const)('sorts by %s, descending', async (sort, expected) => {
        const issues = await store.listIssues(list({ sort }));
        const details = await Promise.all(issues.map((i) => store.getIssue(i.id)));
        expect(details.map((d) => d!.fingerprint)).toEqual(expected);
      });

      it.each(['lastSeen', 'firstSeen', 'count'] as const)('pages by %s without repeating or skipping an issue', async (sort) => {
        const all = await store.listIssues(list({ sort }));
        const seen: string[] = [];
        let after: IssueQuery['after'];
        for (;;) {
          const page = await store.listIssues(list({ sort, limit: 2, after }));
          seen.push(...page.map((i) => i.id));
          if (page.length < 2) break;
          const last = page[page.length - 1]!;
          after = { value: last[sort], id: Number(last.id) };
        }
        expect(seen).toEqual(all.map((i) => i.id));
      });

      it.each([
        ['service', { service: 'billing' }, ['fp-1', 'fp-3']],
        ['status', { status: 'unresolved' }, ['fp-1', 'fp-2', 'fp-3', 'fp-4', 'fp-0']],
        ['level', { level: 'fatal' }, ['fp-4']],
        ['environment (issues with events there)', { environment: 'staging' }, ['fp-1', 'fp-2', 'fp-3', 'fp-4']],
        ['q over the title', { q: 'number 2' }, ['fp-2']],
        ['q over the message, case-insensitive, with % and _ taken literally', { q: '100%_DECLINED' }, ['fp-3']],
        ['q over the culprit', { q: 'chargeCard' }, ['fp-2']],
        ['since (last seen at or after)', { since: T0 + 8 * HOUR }, ['fp-1', 'fp-2']],
        ['until (first seen before)', { until: T0 + 2 * HOUR }, ['fp-1', 'fp-0']],
      ] as const)('filters by %s, and counts what it lists', async (_name, filter, expected) => {
        const issues = await store.listIssues(list(filter));
        const details = await Promise.all(issues.map((i) => store.getIssue(i.id)));
        expect(details.map((d) => d!.fingerprint)).toEqual(expected);
        expect(await store.countIssues(filter)).toBe(expected.length);
      });

      /** The fingerprints of the issues `q` finds, sorted. */
      const found = async (q: string): Promise<string[]> => {
        const issues = await store.listIssues(list({ q }));
        return (await Promise.all(issues.map((i) => store.getIssue(i.id)))).map((d) => d!.fingerprint).sort();
      };

      it('searches case-insensitively beyond ASCII (accented Latin, Cyrillic, Greek)', async () => {
        await store.writeEvents([
          prepared({ fingerprint: 'fp-fr', title: 'Error: Échec du paiement', message: 'Échec du paiement' }),
          prepared({ fingerprint: 'fp-ru', title: 'Error: ошибка оплаты', message: 'ошибка оплаты', culprit: 'Σύνδεση (src/db.ts)' }),
        ]);
        expect(await found('échec')).toEqual(['fp-fr']);
        expect(await found('ÉCHEC DU')).toEqual(['fp-fr']);
        expect(await found('ОШИБКА')).toEqual(['fp-ru']);
        expect(await found('σύνδεση')).toEqual(['fp-ru']);
        expect(await store.countIssues({ q: 'ОШИБКА' })).toBe(1);
      });

      it('folds case one character at a time, as PostgreSQL does: final sigma, dotted I, Kelvin sign', async () => {
        await store.writeEvents([
          prepared({ fingerprint: 'fp-el', title: 'Error: ΟΔΟΣ closed', message: 'ΟΔΟΣ closed' }),
          prepared({ fingerprint: 'fp-tr', title: 'Error: İstanbul failed', message: 'İstanbul failed' }),
          prepared({ fingerprint: 'fp-k', title: 'Error: temp 5\u212a', message: 'temp 5\u212a' }),
        ]);
        expect(await found('Σ')).toEqual(['fp-el']);
        expect(await found('οδοσ')).toEqual(['fp-el']);
        expect(await found('istanbul')).toEqual(['fp-tr']);
        expect(await found('5k')).toEqual(['fp-k']);
      });

      it('counts every matching issue, not one page of them, and 0 when none match', async () => {
        expect(await store.countIssues({})).toBe(5);
        expect(await store.listIssues(list({ limit: 2 }))).toHaveLength(2);
        expect(await store.countIssues({ service: 'checkout', level: 'error' })).toBe(2);
        expect(await store.countIssues({ q: 'no such text' })).toBe(0);
      });
    });

    describe('events', () => {
      it('lists the events of an issue newest first, pages them, and finds one by id', async () => {
        // Two events share a timestamp: the tiebreak keeps pagination exact.
        const events = Array.from({ length: 5 }, (_, i) => prepared({ timestamp: T0 + Math.max(i, 1) * 1000 }));
        await store.writeEvents(events);
        const [issue] = await store.listIssues(list());
        const page1 = await store.listEvents({ issueId: issue!.id, limit: 4 });
        expect(page1.slice(0, 3).map((e) => e.id)).toEqual([events[4]!.id, events[3]!.id, events[2]!.id]);
        const last = page1[3]!;
        const page2 = await store.listEvents({ issueId: issue!.id, limit: 4, after: { value: last.timestamp, id: last.tiebreak } });
        expect(page2).toHaveLength(1);
        expect([...page1, ...page2].map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
        const one = await store.getEvent(events[0]!.id);
        expect(one).toEqual({ id: events[0]!.id, issueId: issue!.id, timestamp: T0 + 1000, receivedAt: T0 + 1005, json: events[0]!.json, tiebreak: expect.any(String) });
        expect(await store.getEvent('0'.repeat(32))).toBeUndefined();
      });

      it("stores each report's text exactly as received, against its own id, whatever the id order in the batch", async () => {
        const texts = [
          '{ "message" : "spaced\\n",\n  "n": 1.50 }',
          '{"message":"nul \\u0000, lone surrogates \\ud83d and \\udc00, escaped \\u00e9"}',
          '{"message":"non-ASCII: é ✓ 😀","path":"C:\\\\srv\\\\app"}',
          '{"message":"a \\"quoted\\" word, a { brace and a ] bracket"}',
        ];
        // Ids in descending order: the store sorts rows by id before writing them.
        const events = texts.map((json, i) => prepared({ id: `${9 - i}`.repeat(32), json }));
        await store.writeEvents([...events, prepared({ id: events[0]!.id, json: '{"message":"a duplicate"}' })]);
        for (const e of events) expect((await store.getEvent(e.id))?.json).toBe(e.json);
      });
    });

    describe('aggregates', () => {
      beforeEach(async () => {
        await store.writeEvents([
          prepared({ fingerprint: 'a', timestamp: T0 + 1000, environment: 'production', level: 'error' }),
          prepared({ fingerprint: 'a', timestamp: T0 + 2000, environment: 'staging', level: 'error' }),
          prepared({ fingerprint: 'a', timestamp: T0 + HOUR + 1000, environment: 'production', level: 'fatal' }),
          prepared({ fingerprint: 'b', service: 'billing', timestamp: T0 + 2 * HOUR + 60_000, environment: 'production', level: 'warning' }),
          prepared({ fingerprint: 'b', service: 'billing', timestamp: T0 + 2 * HOUR + 61_000, environment: 'production', level: 'warning' }),
        ]);
      });

      it('gives hourly sparklines per issue, optionally for one environment', async () => {
        const issues = await store.listIssues(list());
        const byFp = new Map(await Promise.all(issues.map(async (i) => [(await store.getIssue(i.id))!.fingerprint, i.id] as const)));
        const lines = await store.sparklines([byFp.get('a')!, byFp.get('b')!], T0, 4);
        expect(lines.get(byFp.get('a')!)).toEqual([2, 1, 0, 0]);
        expect(lines.get(byFp.get('b')!)).toEqual([0, 0, 2, 0]);
        const staging = await store.sparklines([byFp.get('a')!], T0, 4, 'staging');
        expect(staging.get(byFp.get('a')!)).toEqual([1, 0, 0, 0]);
      });

      it('buckets stats by hour and day from the hourly counts, with totals by service, environment and level', async () => {
        const hours = await store.stats({ interval: 'hour', since: T0, until: T0 + 3 * HOUR });
        expect(hours.buckets).toEqual([
          { t: T0, count: 2 },
          { t: T0 + HOUR, count: 1 },
          { t: T0 + 2 * HOUR, count: 2 },
        ]);
        expect(hours.byService).toEqual([
          { service: 'checkout', count: 3 },
          { service: 'billing', count: 2 },
        ]);
        expect(hours.byEnvironment).toEqual([
          { environment: 'production', count: 4 },
          { environment: 'staging', count: 1 },
        ]);
        expect(hours.byLevel).toEqual([
          { level: 'error', count: 2 },
          { level: 'warning', count: 2 },
          { level: 'fatal', count: 1 },
        ]);
        const dayStart = Date.UTC(2026, 0, 10);
        const days = await store.stats({ interval: 'day', since: dayStart, until: dayStart + 86_400_000 });
        expect(days.buckets).toEqual([{ t: dayStart, count: 5 }]);
        const narrow = await store.stats({ interval: 'hour', since: T0 + HOUR, until: T0 + 2 * HOUR });
        expect(narrow.buckets).toEqual([{ t: T0 + HOUR, count: 1 }]);
      });

      it('buckets stats by minute, and filters by service, environment and issue', async () => {
        const minutes = await store.stats({ interval: 'minute', since: T0 + 2 * HOUR, until: T0 + 3 * HOUR });
        expect(minutes.buckets).toEqual([{ t: T0 + 2 * HOUR + 60_000, count: 2 }]);
        const billing = await store.stats({ interval: 'hour', since: T0, until: T0 + 3 * HOUR, service: 'billing' });
        expect(billing.buckets).toEqual([{ t: T0 + 2 * HOUR, count: 2 }]);
        const staging = await store.stats({ interval: 'hour', since: T0, until: T0 + 3 * HOUR, environment: 'staging' });
        expect(staging.buckets).toEqual([{ t: T0, count: 1 }]);
        const [a] = await store.listIssues(list({ service: 'checkout' }));
        const issue = await store.stats({ interval: 'hour', since: T0, until: T0 + 3 * HOUR, issueId: a!.id });
        expect(issue.buckets).toEqual([
          { t: T0, count: 2 },
          { t: T0 + HOUR, count: 1 },
        ]);
        const issueMinutes = await store.stats({ interval: 'minute', since: T0, until: T0 + HOUR, issueId: a!.id, environment: 'staging' });
        expect(issueMinutes.buckets).toEqual([{ t: T0, count: 1 }]);
      });

      it('lists services with their environments and issue counts', async () => {
        const services = await store.services();
        expect(services).toEqual([
          { name: 'billing', environments: ['production'], issues: 1, lastSeen: T0 + 2 * HOUR + 61_000 },
          { name: 'checkout', environments: ['production', 'staging'], issues: 1, lastSeen: T0 + HOUR + 1000 },
        ]);
      });
    });

    describe('applyRetention', () => {
      it('deletes events older than the cutoff and keeps issue totals', async () => {
        await store.writeEvents([
          prepared({ fingerprint: 'a', timestamp: T0 - 10 * HOUR }),
          prepared({ fingerprint: 'a', timestamp: T0 - 9 * HOUR }),
          prepared({ fingerprint: 'a', timestamp: T0 + HOUR }),
        ]);
        const result = await store.applyRetention({ olderThan: T0, maxEventsPerIssue: 100 });
        expect(result).toEqual({ deletedEvents: 2, deletedIssues: 0 });
        const [issue] = await store.listIssues(list());
        expect(issue!.count).toBe(3);
        expect(await store.listEvents({ issueId: issue!.id, limit: 10 })).toHaveLength(1);
        const stats = await store.stats({ interval: 'hour', since: T0 - 24 * HOUR, until: T0 + 2 * HOUR });
        expect(stats.buckets).toEqual([{ t: T0 + HOUR, count: 1 }]);
      });

      it('deletes issues last seen before the cutoff, with their events and counts', async () => {
        await store.writeEvents([prepared({ fingerprint: 'old', timestamp: T0 - 5 * HOUR }), prepared({ fingerprint: 'new', timestamp: T0 + 1 })]);
        const result = await store.applyRetention({ olderThan: T0, maxEventsPerIssue: 100 });
        expect(result).toEqual({ deletedEvents: 1, deletedIssues: 1 });
        const issues = await store.listIssues(list());
        expect(issues).toHaveLength(1);
        expect((await store.getIssue(issues[0]!.id))!.fingerprint).toBe('new');
        expect((await store.services())[0]!.issues).toBe(1);
        // A later event of the deleted issue's fingerprint opens a new issue.
        const again = await store.writeEvents([prepared({ fingerprint: 'old', timestamp: T0 + 2 })]);
        expect(again.created).toHaveLength(1);
        const all = await store.listIssues(list({ sort: 'count' }));
        expect(all.map((i) => i.count)).toEqual([1, 1]);
      });

      it('keeps the newest N events per issue and keeps counting new ones', async () => {
        const events = Array.from({ length: 7 }, (_, i) => prepared({ timestamp: T0 + i * 1000 }));
        await store.writeEvents(events);
        const result = await store.applyRetention({ olderThan: T0 - HOUR, maxEventsPerIssue: 3 });
        expect(result.deletedEvents).toBe(4);
        const [issue] = await store.listIssues(list());
        const kept = await store.listEvents({ issueId: issue!.id, limit: 10 });
        expect(kept.map((e) => e.id)).toEqual([events[6]!.id, events[5]!.id, events[4]!.id]);
        expect(issue!.count).toBe(7);
        // The stored-event counter stays right: a second pass after one more event deletes exactly one.
        await store.writeEvents([prepared({ timestamp: T0 + 10_000 })]);
        expect((await store.applyRetention({ olderThan: T0 - HOUR, maxEventsPerIssue: 3 })).deletedEvents).toBe(1);
        expect((await store.getIssue(issue!.id))!.count).toBe(8);
      });

      it("keeps an issue's minute stats whole when its events are trimmed to the newest N", async () => {
        await store.writeEvents(Array.from({ length: 7 }, (_, i) => prepared({ timestamp: T0 + i * 20_000 })));
        await store.applyRetention({ olderThan: T0 - HOUR, maxEventsPerIssue: 2 });
        const [issue] = await store.listIssues(list());
        expect(await store.listEvents({ issueId: issue!.id, limit: 10 })).toHaveLength(2);
        const minutes = await store.stats({ interval: 'minute', since: T0, until: T0 + HOUR, issueId: issue!.id });
        expect(minutes.buckets).toEqual([
          { t: T0, count: 3 },
          { t: T0 + 60_000, count: 3 },
          { t: T0 + 120_000, count: 1 },
        ]);
        expect(minutes.byLevel).toEqual([{ level: 'error', count: 7 }]);
      });

      it("drops an issue's minute counts older than the cutoff, and all of them with the issue", async () => {
        await store.writeEvents([
          prepared({ fingerprint: 'kept', timestamp: T0 - 3 * HOUR }),
          prepared({ fingerprint: 'kept', timestamp: T0 + 60_000 }),
          prepared({ fingerprint: 'gone', timestamp: T0 - 2 * HOUR }),
        ]);
        const [kept] = await store.listIssues(list());
        const gone = (await store.listIssues(list())).find((i) => i.id !== kept!.id)!;
        await store.applyRetention({ olderThan: T0, maxEventsPerIssue: 100 });
        const all = { interval: 'minute' as const, since: T0 - 4 * HOUR, until: T0 + HOUR };
        expect((await store.stats({ ...all, issueId: kept!.id })).buckets).toEqual([{ t: T0 + 60_000, count: 1 }]);
        expect((await store.stats({ ...all, issueId: gone.id })).buckets).toEqual([]);
      });
    });

    describe('migrations', () => {
      it('reopens an existing database without losing data', async () => {
        await store.writeEvents([prepared({ timestamp: T0 })]);
        const again = await impl.reopen();
        opened.push(again);
        const [issue] = await again.listIssues(list());
        expect(issue!.count).toBe(1);
        await again.ping();
      });
    });
  });
}
