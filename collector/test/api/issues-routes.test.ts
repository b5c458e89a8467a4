import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, ingest, testApp } from '../helpers/app.js';
import { frame, makeReport } from '../helpers/reports.js';

const HOUR = 3_600_000;
const now = Date.now();
const at = (msAgo: number) => new Date(now - msAgo).toISOString();
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let app: FastifyInstance;
const ids: Record<string, string> = {};

beforeAll(async () => {
  app = await testApp();
  // cart: 3 events (2 h ago, 1 h ago, now) in production; billing: 1 fatal event in staging 30 min ago.
  const cart = (msAgo: number) => makeReport({ frames: [frame('/app/src/cart.ts', 'computeTotal')], timestamp: at(msAgo) });
  await ingest(app, [
    cart(2 * HOUR),
    cart(HOUR),
    cart(0),
    makeReport({ service: 'billing', environment: 'staging', level: 'fatal', type: 'PaymentError', message: 'card declined', frames: [frame('/app/src/pay.ts', 'charge')], timestamp: at(HOUR / 2) }),
  ]);
  const { body } = await getJson(app, '/api/issues');
  for (const issue of body.issues) ids[issue.service as string] = issue.id;
});
afterAll(() => app.close());

describe('GET /api/issues', () => {
  it('lists issues with the contract fields, ids as strings and times as RFC 3339, newest first', async () => {
    const { status, body } = await getJson(app, '/api/issues');
    expect(status).toBe(200);
    expect(body.nextCursor).toBeNull();
    expect(body.issues).toHaveLength(2);
    const [first] = body.issues;
    expect(Object.keys(first).sort()).toEqual(
      ['id', 'title', 'type', 'culprit', 'service', 'environment', 'level', 'status', 'regressed', 'count', 'firstSeen', 'lastSeen'].sort(),
    );
    expect(first).toMatchObject({ service: 'checkout', count: 3, status: 'unresolved', regressed: false, culprit: 'computeTotal (app/src/cart.ts)' });
    expect(typeof first.id).toBe('string');
    expect(first.firstSeen).toMatch(ISO);
    expect(first.lastSeen).toMatch(ISO);
  });

  it.each([
    ['service=billing', ['billing']],
    ['environment=staging', ['billing']],
    ['level=fatal', ['billing']],
    ['status=resolved', []],
    ['q=declined', ['billing']],
    ['q=computeTotal', ['checkout']],
    ['sort=count', ['checkout', 'billing']],
    ['sort=firstSeen', ['billing', 'checkout']],
    [`since=${encodeURIComponent(at(10 * 60_000))}`, ['checkout']],
    [`until=${now - 90 * 60_000}`, ['checkout']],
  ])('filters and sorts: %s', async (query, services) => {
    const { status, body } = await getJson(app, `/api/issues?${query}`);
    expect(status).toBe(200);
    expect(body.issues.map((i: { service: string }) => i.service)).toEqual(services);
    expect(body.total).toBe(services.length);
  });

  it('pages with an opaque cursor, every page counting the issues of all pages', async () => {
    const page1 = await getJson(app, '/api/issues?limit=1');
    expect(page1.body.issues).toHaveLength(1);
    expect(page1.body.total).toBe(2);
    expect(typeof page1.body.nextCursor).toBe('string');
    const page2 = await getJson(app, `/api/issues?limit=1&cursor=${page1.body.nextCursor}`);
    expect(page2.body.issues[0].id).not.toBe(page1.body.issues[0].id);
    expect(page2.body.nextCursor).toBeNull();
    expect(page2.body.total).toBe(2);
  });

  it('adds 24 hourly counts per issue with sparkline=24h, the last bucket being the current hour', async () => {
    const hourBefore = Math.floor(Date.now() / HOUR);
    const { body } = await getJson(app, '/api/issues?sparkline=24h');
    const hourAfter = Math.floor(Date.now() / HOUR);
    const checkout = body.issues.find((i: { service: string }) => i.service === 'checkout');
    expect(checkout.sparkline).toHaveLength(24);
    expect(checkout.sparkline.reduce((a: number, b: number) => a + b, 0)).toBe(3);
    // The event made `now` counts in its hour's bucket: the last one if that is the current hour. Where the
    // clock has passed the top of an hour since (before or during the request), it sits that many buckets back.
    const slots = [hourBefore, hourAfter].map((hour) => 23 - (hour - Math.floor(now / HOUR)));
    expect(slots.some((slot) => checkout.sparkline[slot] >= 1)).toBe(true);
    const plain = await getJson(app, '/api/issues');
    expect(plain.body.issues[0].sparkline).toBeUndefined();
  });

  it.each([
    ['sort=loudest', '`sort`'],
    ['status=open', '`status`'],
    ['level=critical', '`level`'],
    ['limit=0', '`limit`'],
    ['limit=500', '`limit`'],
    ['since=yesterday', '`since`'],
    ['sparkline=forever', '`sparkline`'],
    ['service=a&service=b', '`service`'],
    ['cursor=garbage', '`cursor`'],
    ['since=1 2', '`since`'],
    ['since=12/04/2026', '`since`'],
    // No offset: it would be read in the server's time zone.
    ['since=2026-12-04T11:00:00', '`since`'],
    ['servce=nope', '`servce`'],
    ['statuss=resolved', '`statuss`'],
    // Well-formed cursors with values no page can end on: PostgreSQL would refuse them as bigints (500).
    [`cursor=${Buffer.from(JSON.stringify(['lastSeen', 1.5, 1])).toString('base64url')}`, '`cursor`'],
    [`cursor=${Buffer.from(JSON.stringify(['lastSeen', 1e300, 1])).toString('base64url')}`, '`cursor`'],
  ])('answers 400 naming the parameter for %s', async (query, name) => {
    const { status, body } = await getJson(app, `/api/issues?${query}`);
    expect(status).toBe(400);
    expect(body.error).toContain(name);
    expect(body.code).toMatch(/^FAULTLINE_INVALID_(QUERY|CURSOR)$/);
  });
});

describe('GET /api/issues/:id', () => {
  it('answers the issue plus its latest event as a whole report', async () => {
    const { status, body } = await getJson(app, `/api/issues/${ids.checkout}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: ids.checkout, count: 3 });
    expect(body.latestEvent).toMatchObject({ schema: 1, service: { name: 'checkout' }, issueId: ids.checkout });
    expect(body.latestEvent.timestamp).toBe(body.lastSeen);
    expect(body.latestEvent.receivedAt).toMatch(ISO);
  });

  it.each(['999999', 'abc', '0', '1e3'])('answers 404 { error, code } for %s', async (id) => {
    const { status, body } = await getJson(app, `/api/issues/${id}`);
    expect(status).toBe(404);
    expect(body).toEqual({ error: expect.any(String), code: 'FAULTLINE_NOT_FOUND' });
  });
});

describe('GET /api/issues/:id/events and /api/events/:id', () => {
  it('lists the reports of an issue newest first with receivedAt, paged by cursor', async () => {
    const page1 = await getJson(app, `/api/issues/${ids.checkout}/events?limit=2`);
    expect(page1.status).toBe(200);
    expect(page1.body.events).toHaveLength(2);
    expect(page1.body.events[0].timestamp > page1.body.events[1].timestamp).toBe(true);
    expect(page1.body.events[0].receivedAt).toMatch(ISO);
    const page2 = await getJson(app, `/api/issues/${ids.checkout}/events?limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body.events).toHaveLength(1);
    expect(page2.body.nextCursor).toBeNull();
    const one = await getJson(app, `/api/events/${page2.body.events[0].id}`);
    expect(one.body).toEqual(page2.body.events[0]);
  });

  it.each([
    ['a fractional time', ['events', 1.5, 'abc']],
    ['a tiebreak that no row has', ['events', 1, 'a\u0000b']],
  ])('answers 400 FAULTLINE_INVALID_CURSOR for an events cursor with %s', async (_name, cursor) => {
    const { status, body } = await getJson(app, `/api/issues/${ids.checkout}/events?cursor=${Buffer.from(JSON.stringify(cursor)).toString('base64url')}`);
    expect(status).toBe(400);
    expect(body.code).toBe('FAULTLINE_INVALID_CURSOR');
  });

  it('answers 404 for an unknown issue or event', async () => {
    expect((await getJson(app, '/api/issues/424242/events')).status).toBe(404);
    expect((await getJson(app, `/api/events/${'0'.repeat(32)}`)).status).toBe(404);
    expect((await getJson(app, '/api/events/not-an-id')).status).toBe(404);
  });
});

describe('endpoints that take no parameters', () => {
  it.each([
    ['/api/issues/:id', () => `/api/issues/${ids.checkout}?stauts=resolved`],
    ['/api/events/:id', () => `/api/events/${'0'.repeat(32)}?foo=1`],
    ['/api/services', () => '/api/services?enviroment=prod'],
  ])('%s answers 400 FAULTLINE_INVALID_QUERY naming a parameter it was given', async (_route, url) => {
    const { status, body } = await getJson(app, url());
    expect(status).toBe(400);
    expect(body.code).toBe('FAULTLINE_INVALID_QUERY');
    expect(body.error).toMatch(/Unknown parameter `(stauts|foo|enviroment)`; this endpoint takes no parameters/);
  });
});

describe('PATCH /api/issues/:id', () => {
  it('changes the status and answers the updated issue', async () => {
    const res = await app.inject({ method: 'PATCH', url: `/api/issues/${ids.billing}`, payload: { status: 'resolved' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: ids.billing, status: 'resolved', regressed: false });
    expect((await getJson(app, '/api/issues?status=resolved')).body.issues.map((i: { id: string }) => i.id)).toEqual([ids.billing]);
    await app.inject({ method: 'PATCH', url: `/api/issues/${ids.billing}`, payload: { status: 'unresolved' } });
  });

  it.each([
    [{ status: 'done' }, 400, 'FAULTLINE_INVALID_STATUS'],
    [{}, 400, 'FAULTLINE_INVALID_STATUS'],
  ])('refuses %j', async (payload, status, code) => {
    const res = await app.inject({ method: 'PATCH', url: `/api/issues/${ids.billing}`, payload });
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
  });

  it('answers 404 for an unknown issue', async () => {
    const res = await app.inject({ method: 'PATCH', url: '/api/issues/777777', payload: { status: 'resolved' } });
    expect(res.statusCode).toBe(404);
  });
});
