import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { GROUPING_VERSION, culpritOf, defaultKey, frameComponents, groupReport, titleOf } from '../../src/grouping/group-report.js';
import { getJson, ingest, testApp } from '../helpers/app.js';
import { frame, makeReport, type ReportOverrides } from '../helpers/reports.js';

const site = (line: number) => [frame('/app/src/cart.ts', 'computeTotal', line), frame('/app/src/routes/checkout.ts', 'handleCheckout', 40 + line)];

const spawn = (file: string, line: number) => ({
  kind: 'errgroup' as const,
  group: 'order',
  task: 'call',
  frames: [frame(`/app/src/${file}`, 'fulfil', line), frame('/app/src/main.ts', 'main', 3)],
});

type Step = { ingest: ReportOverrides[] } | { resolveAll: true };

interface Scenario {
  name: string;
  steps: Step[];
  /** Expected issues, newest first: count, and optionally status/regressed/environment. */
  issues: { count: number; status?: string; regressed?: boolean; environment?: string }[];
}

const T = (minutes: number) => new Date(Date.UTC(2026, 0, 10, 12, minutes)).toISOString();

const scenarios: Scenario[] = [
  {
    name: 'the same throw site reached with different line numbers (an edited file) groups together',
    steps: [{ ingest: [{ frames: site(10), timestamp: T(0) }, { frames: site(17), timestamp: T(1) }] }],
    issues: [{ count: 2 }],
  },
  {
    name: 'different in-app call paths split',
    steps: [
      {
        ingest: [
          { frames: [frame('/app/src/cart.ts', 'computeTotal'), frame('/app/src/routes/checkout.ts', 'handleCheckout')], timestamp: T(0) },
          { frames: [frame('/app/src/cart.ts', 'computeTotal'), frame('/app/src/jobs/invoice.ts', 'runInvoices')], timestamp: T(1) },
        ],
      },
    ],
    issues: [{ count: 1 }, { count: 1 }],
  },
  {
    name: 'messages differing only by ids group together when there are no in-app frames',
    steps: [
      {
        ingest: [
          { frames: [frame('node:net', 'connect', 1, false)], message: 'order 1234 not found for user 3f2b8c1e-9d4a-4f6b-8e2a-1c3d5e7f9a0b', timestamp: T(0) },
          { frames: [], message: 'order 98 not found for user 00000000-1111-4222-8333-444444444444', timestamp: T(1) },
          { frames: [], message: 'order 98 could not be shipped', timestamp: T(2) },
        ],
      },
    ],
    issues: [{ count: 1 }, { count: 2 }],
  },
  {
    name: 'an override wins over frames and message, and {{ default }} extends the default key',
    steps: [
      {
        ingest: [
          { fingerprint: ['payment-provider-down'], frames: site(1), timestamp: T(0) },
          { fingerprint: ['payment-provider-down'], frames: [], type: 'FetchError', message: 'other', timestamp: T(1) },
          { fingerprint: ['{{ default }}', 'tenant-a'], frames: site(1), timestamp: T(2) },
          { fingerprint: ['{{ default }}', 'tenant-b'], frames: site(1), timestamp: T(3) },
          { frames: site(1), timestamp: T(4) },
        ],
      },
    ],
    issues: [{ count: 1 }, { count: 1 }, { count: 1 }, { count: 2 }],
  },
  {
    name: "an error with no in-app frames (an SDK deadline) groups by its task's spawn site, before the message",
    steps: [
      {
        ingest: [
          { frames: [frame('node:internal/timers', 'listOnTimeout', 1, false)], message: "task 'a' exceeded its deadline", asyncStack: [spawn('inventory.ts', 12)], timestamp: T(0) },
          { frames: [], message: "task 'b' exceeded its deadline", asyncStack: [spawn('inventory.ts', 30)], timestamp: T(1) },
          { frames: [], message: "task 'a' exceeded its deadline", asyncStack: [spawn('risk.ts', 12)], timestamp: T(2) },
        ],
      },
    ],
    issues: [{ count: 1 }, { count: 2 }],
  },
  {
    name: 'an event ingested while the issue is resolved reopens it as regressed',
    steps: [{ ingest: [{ timestamp: T(0) }] }, { resolveAll: true }, { ingest: [{ timestamp: T(5) }] }],
    issues: [{ count: 2, status: 'unresolved', regressed: true }],
  },
  {
    name: 'issues are per service',
    steps: [{ ingest: [{ service: 'checkout', timestamp: T(0) }, { service: 'billing', timestamp: T(1) }] }],
    issues: [{ count: 1 }, { count: 1 }],
  },
  {
    name: "an issue's environment is that of its latest event",
    steps: [{ ingest: [{ environment: 'staging', timestamp: T(9) }, { environment: 'production', timestamp: T(3) }] }],
    issues: [{ count: 2, environment: 'staging' }],
  },
];

describe('grouping into issues (grouping: 1)', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
  });

  it.each(scenarios)('$name', async (scenario) => {
    app = await testApp();
    for (const step of scenario.steps) {
      if ('ingest' in step) {
        const { status, body } = await ingest(app, step.ingest.map((o) => makeReport(o)));
        expect(status).toBe(202);
        expect(body.rejected).toEqual([]);
      } else {
        const { body } = await getJson(app, '/api/issues');
        for (const issue of body.issues) {
          await app.inject({ method: 'PATCH', url: `/api/issues/${issue.id}`, payload: { status: 'resolved' } });
        }
      }
    }
    const { body } = await getJson(app, '/api/issues');
    expect(body.issues).toHaveLength(scenario.issues.length);
    scenario.issues.forEach((expected, i) => expect(body.issues[i]).toMatchObject(expected));
  });

  it('matches the environment filter to issues with events in that environment', async () => {
    app = await testApp();
    await ingest(app, [
      makeReport({ environment: 'staging', timestamp: T(0) }),
      makeReport({ environment: 'production', timestamp: T(1) }),
      makeReport({ environment: 'production', timestamp: T(2), type: 'RangeError' }),
    ]);
    const staging = await getJson(app, '/api/issues?environment=staging');
    expect(staging.body.issues.map((i: { type: string; environment: string }) => [i.type, i.environment])).toEqual([['TypeError', 'production']]);
    const production = await getJson(app, '/api/issues?environment=production');
    expect(production.body.issues).toHaveLength(2);
  });
});

describe('groupReport', () => {
  it('hashes the type and the in-app frames only: file basename and function, never line or column', () => {
    const a = makeReport({ frames: [frame('/app/src/Cart.ts', 'Object.computeTotal', 1), frame('/usr/lib/node_modules/x/index.js', 'lib', 1, false)] });
    const b = makeReport({ frames: [frame('/other/root/src/cart.ts', 'computeTotal', 99), frame('/usr/lib/node_modules/x/index.js', 'other', 7, false)] });
    expect(groupReport(a).fingerprint).toBe(groupReport(b).fingerprint);
    expect(groupReport(makeReport({ type: 'RangeError', frames: a.frames })).fingerprint).not.toBe(groupReport(a).fingerprint);
    expect(groupReport(a).grouping).toBe(GROUPING_VERSION);
  });

  it('collapses recursion: repeated calls of the same function count once', () => {
    const once = [frame('/app/walk.ts', 'walk'), frame('/app/main.ts', 'main')];
    const deep = [frame('/app/walk.ts', 'walk', 3), frame('/app/walk.ts', 'walk', 5), frame('/app/walk.ts', 'walk', 5), frame('/app/main.ts', 'main')];
    expect(frameComponents(deep)).toEqual(frameComponents(once));
    expect(frameComponents(once)).toEqual(['walk.ts:walk', 'main.ts:main']);
  });

  it('ignores anonymous function names and async/new prefixes but keeps the file', () => {
    expect(frameComponents([frame('/app/a.ts', '<anonymous>'), frame('/app/b.ts', 'async run'), frame('/app/c.ts', 'new Widget')])).toEqual([
      'a.ts:',
      'b.ts:run',
      'c.ts:Widget',
    ]);
  });

  it('takes the basename of paths, urls and Windows paths, without query or hash', () => {
    expect(frameComponents([frame('https://cdn.example.com/app/Cart.js?v=3#L1', 'a'), frame('C:\\srv\\app\\Main.ts', 'b'), frame('file:///srv/x.ts#1', 'c')])).toEqual([
      'cart.js:a',
      'main.ts:b',
      'x.ts:c',
    ]);
  });

  it('falls back to type and parameterised message when no frame is in-app', () => {
    expect(defaultKey(makeReport({ frames: [frame('node:fs', 'open', 1, false)], message: 'file 12 missing' }))).toEqual([
      'type',
      'TypeError',
      'message',
      'file <num> missing',
    ]);
  });

  it('titles an issue "type: first line" and names the top in-app frame as culprit', () => {
    expect(titleOf({ type: 'TypeError', message: '\nboom\nmore' })).toBe('TypeError: boom');
    expect(titleOf({ type: 'Error', message: '' })).toBe('Error');
    expect(titleOf({ type: 'Error', message: 'x'.repeat(500) })).toHaveLength(200);
    expect(culpritOf({ frames: [frame('node:internal/x', 'tick', 1, false), frame('file:///srv/app/src/orders/ship.ts', 'Shipper.ship')] })).toBe('ship (src/orders/ship.ts)');
    expect(culpritOf({ frames: [] })).toBe('');
  });

  it("names the spawn site's top in-app frame as culprit when the error has no in-app frame", () => {
    expect(culpritOf({ frames: [frame('node:internal/timers', 'listOnTimeout', 1, false)], asyncStack: [spawn('inventory.ts', 12)] })).toBe('fulfil (app/src/inventory.ts)');
  });
});
