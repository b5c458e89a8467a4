import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, ingest, testApp } from '../helpers/app.js';
import { makeReport } from '../helpers/reports.js';

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

// The event of the default range: now, so that it falls in the current hour even in an hour's first minute.
const RECENT = Date.now();

let app: FastifyInstance;
beforeAll(async () => {
  app = await testApp();
  await ingest(app, [
    makeReport({ timestamp: iso(T0 + 60_000) }),
    makeReport({ timestamp: iso(T0 + 2 * 60_000), environment: 'staging', level: 'warning' }),
    makeReport({ timestamp: iso(T0 + 3 * HOUR), service: 'billing', type: 'PaymentError' }),
    makeReport({ timestamp: iso(RECENT) }),
  ]);
});
afterAll(() => app.close());

describe('GET /api/stats', () => {
  it('buckets counts by the events own timestamps, with every bucket present', async () => {
    const { status, body } = await getJson(app, `/api/stats?interval=hour&since=${iso(T0)}&until=${iso(T0 + 4 * HOUR)}`);
    expect(status).toBe(200);
    expect(body.buckets).toEqual([
      { t: iso(T0), count: 2 },
      { t: iso(T0 + HOUR), count: 0 },
      { t: iso(T0 + 2 * HOUR), count: 0 },
      { t: iso(T0 + 3 * HOUR), count: 1 },
    ]);
    expect(body.byService).toEqual([
      { service: 'checkout', count: 2 },
      { service: 'billing', count: 1 },
    ]);
    expect(body.byEnvironment).toEqual([
      { environment: 'production', count: 2 },
      { environment: 'staging', count: 1 },
    ]);
    expect(body.byLevel).toEqual([
      { level: 'error', count: 2 },
      { level: 'warning', count: 1 },
    ]);
  });

  it('buckets by minute and by day', async () => {
    const minutes = await getJson(app, `/api/stats?interval=minute&since=${iso(T0)}&until=${iso(T0 + 3 * 60_000)}`);
    expect(minutes.body.buckets).toEqual([
      { t: iso(T0), count: 0 },
      { t: iso(T0 + 60_000), count: 1 },
      { t: iso(T0 + 120_000), count: 1 },
    ]);
    const days = await getJson(app, `/api/stats?interval=day&since=${iso(Date.UTC(2026, 0, 9))}&until=${iso(Date.UTC(2026, 0, 11))}`);
    expect(days.body.buckets).toEqual([
      { t: iso(Date.UTC(2026, 0, 9)), count: 0 },
      { t: iso(Date.UTC(2026, 0, 10)), count: 3 },
    ]);
  });

  it('filters by service, environment and issue', async () => {
    const range = `since=${iso(T0)}&until=${iso(T0 + 4 * HOUR)}`;
    expect((await getJson(app, `/api/stats?${range}&service=billing`)).body.byService).toEqual([{ service: 'billing', count: 1 }]);
    expect((await getJson(app, `/api/stats?${range}&environment=staging`)).body.byEnvironment).toEqual([{ environment: 'staging', count: 1 }]);
    const issues = await getJson(app, '/api/issues?service=billing');
    const issue = await getJson(app, `/api/stats?${range}&issue=${issues.body.issues[0].id}`);
    expect(issue.body.byService).toEqual([{ service: 'billing', count: 1 }]);
  });

  it('covers the last 24 hours by default, in 24 hourly buckets ending with the current hour', async () => {
    const hourBefore = Math.floor(Date.now() / HOUR) * HOUR;
    const { body } = await getJson(app, '/api/stats');
    const hourAfter = Math.floor(Date.now() / HOUR) * HOUR;
    expect(body.interval).toBe('hour');
    expect(body.buckets).toHaveLength(24);
    // The request may straddle the top of an hour: the last bucket is the hour it began or ended in.
    expect([hourBefore, hourAfter]).toContain(Date.parse(body.buckets[23].t));
    const recentHour = iso(Math.floor(RECENT / HOUR) * HOUR);
    expect(body.buckets.find((b: { t: string }) => b.t === recentHour)?.count).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['interval=week', '`interval`'],
    [`since=${iso(T0)}&until=${iso(T0 - 1)}`, '`since`'],
    [`interval=minute&since=${iso(T0)}&until=${iso(T0 + 30 * 86_400_000)}`, 'buckets'],
    ['issue=abc', '`issue`'],
    ['intervall=minute', '`intervall`'],
  ])('answers 400 for %s', async (query, text) => {
    const { status, body } = await getJson(app, `/api/stats?${query}`);
    expect(status).toBe(400);
    expect(body.code).toBe('FAULTLINE_INVALID_QUERY');
    expect(body.error).toContain(text);
  });
});

describe('GET /api/services', () => {
  it('lists the services and environments seen', async () => {
    const { body } = await getJson(app, '/api/services');
    expect(body.environments).toEqual(['production', 'staging']);
    expect(body.services).toEqual([
      { name: 'billing', environments: ['production'], issues: 1, lastSeen: iso(T0 + 3 * HOUR) },
      { name: 'checkout', environments: ['production', 'staging'], issues: 1, lastSeen: expect.any(String) },
    ]);
  });
});
