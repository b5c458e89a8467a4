import { request as httpRequest } from 'node:http';
import { deflateSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { CollectorOptions } from '../../../src/config/options.js';
import { startCollector, type RunningCollector } from '../../../src/start-collector.js';
import { getJson, testApp } from '../../helpers/app.js';

let app: FastifyInstance | undefined;
let running: RunningCollector | undefined;
afterEach(async () => {
  await app?.close();
  await running?.close();
  app = undefined;
  running = undefined;
});

const KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
let counter = 0;
const eventId = () => (++counter).toString(16).padStart(32, '0');

function event(overrides: Record<string, unknown> = {}) {
  return {
    event_id: eventId(),
    level: 'error',
    timestamp: Date.now() / 1000,
    exception: { values: [{ type: 'TypeError', value: 'cart is undefined', stacktrace: { frames: [{ filename: '/app/cart.js', function: 'total', lineno: 3, colno: 7, in_app: true }] } }] },
    ...overrides,
  };
}

function envelope(...items: [Record<string, unknown>, unknown][]): string {
  const lines = [JSON.stringify({ sent_at: new Date().toISOString(), sdk: { name: 'test', version: '1' } })];
  for (const [header, payload] of items) lines.push(JSON.stringify(header), typeof payload === 'string' ? payload : JSON.stringify(payload));
  return lines.join('\n');
}

const eventEnvelope = (e: Record<string, unknown> = event()) => envelope([{ type: 'event' }, e]);

function post(target: FastifyInstance, url: string, payload: string | Buffer, headers: Record<string, string> = {}) {
  return target.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/x-sentry-envelope', ...headers } });
}

async function issues(target: FastifyInstance, headers: Record<string, string> = {}) {
  return (await getJson(target, '/api/issues', headers)).body.issues as { title: string; count: number; service: string }[];
}

describe('POST /api/:projectId/envelope/', () => {
  it('stores the event item and answers 200 { id } with its event id', async () => {
    app = await testApp();
    const e = event();
    const res = await post(app, '/api/42/envelope/', eventEnvelope(e));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: e.event_id });
    const [issue] = await issues(app);
    expect(issue).toMatchObject({ title: 'TypeError: cart is undefined', count: 1, service: 'sentry-project-42' });
    expect((await getJson(app, `/api/events/${e.event_id}`)).body.mechanism).toBe('sentry');
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
  ])('accepts %s bodies', async (encoding, compress) => {
    app = await testApp();
    const res = await post(app, '/api/42/envelope/', compress(Buffer.from(eventEnvelope())), { 'content-encoding': encoding });
    expect(res.statusCode).toBe(200);
    expect(await issues(app)).toHaveLength(1);
  });

  it('accepts and ignores session, client_report, transaction and attachment items', async () => {
    app = await testApp();
    const body = envelope(
      [{ type: 'session' }, { sid: 'x', status: 'ok' }],
      [{ type: 'client_report' }, { discarded_events: [] }],
      [{ type: 'transaction' }, { type: 'transaction', spans: [] }],
      [{ type: 'attachment', length: 3, filename: 'a.txt' }, 'abc'],
      [{ type: 'log' }, { items: [] }],
    );
    const res = await post(app, '/api/42/envelope/', body);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({});
    expect(await issues(app)).toEqual([]);
  });

  it('stores the event of an envelope that also carries attachments and a session', async () => {
    app = await testApp();
    const body = envelope([{ type: 'session' }, { sid: 'x' }], [{ type: 'event' }, event()], [{ type: 'attachment', length: 5 }, 'a\nb\nc']);
    expect((await post(app, '/api/42/envelope/', body)).statusCode).toBe(200);
    expect(await issues(app)).toHaveLength(1);
  });

  it('accepts the body a Sentry SDK sends over HTTP: no content type, chunked', async () => {
    running = await startCollector({ port: 0, sqlitePath: ':memory:', logLevel: 'silent', uiDir: '/nonexistent-ui-dir', retentionIntervalMs: 0 });
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: running!.port, method: 'POST', path: `/api/42/envelope/?sentry_key=${KEY}&sentry_version=7` }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(eventEnvelope());
      req.end();
    });
    expect(status).toBe(200);
    const listed = await fetch(`${running.url}/api/issues`);
    expect((await listed.json()).issues).toHaveLength(1);
  });

  it('stores every event item of an envelope whose header event_id they share, and a retry of it once', async () => {
    app = await testApp();
    const header = JSON.stringify({ event_id: '9ec79c33ec9942ab8353589fcb2e04dc' });
    const body = [header, '{"type":"event"}', '{"message":"first"}', '{"type":"event"}', '{"message":"second"}'].join('\n');
    const first = await post(app, '/api/42/envelope/', body);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ id: '9ec79c33ec9942ab8353589fcb2e04dc' });
    await post(app, '/api/42/envelope/', body);
    const stored = await issues(app);
    expect(stored.map((i) => [i.title, i.count]).sort()).toEqual([['first', 1], ['second', 1]]);
  });

  it('ingests a retried envelope once', async () => {
    app = await testApp();
    const body = eventEnvelope();
    const first = await post(app, '/api/42/envelope/', body);
    const second = await post(app, '/api/42/envelope/', body);
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(second.json()).toEqual(first.json());
    expect((await issues(app))[0]!.count).toBe(1);
  });

  it('maps the DSN project id to the configured service name', async () => {
    app = await testApp({ sentryProjects: ['7=billing'] });
    await post(app, '/api/7/envelope/', eventEnvelope());
    expect((await issues(app))[0]!.service).toBe('billing');
  });

  it.each([
    ['a malformed envelope header', '{nope\n{"type":"event"}\n{}', 400, 'FAULTLINE_INVALID_ENVELOPE', /envelope header \(line 1\) is not valid JSON/],
    ['an item without a type', `{}\n{"length":2}\n{}`, 400, 'FAULTLINE_INVALID_ENVELOPE', /item 1 has no "type"/],
    ['an event item that is not JSON', `{}\n{"type":"event"}\n{oops`, 400, 'FAULTLINE_INVALID_EVENT', /Item 1 \("event"\) is not valid JSON/],
    ['an event item that is not an object', `{}\n{"type":"event"}\n[1,2]`, 400, 'FAULTLINE_INVALID_EVENT', /must be a JSON object/],
    ['an empty body', '', 400, 'FAULTLINE_INVALID_ENVELOPE', /the body is empty/],
    ['an event item over 1 MiB', envelope([{ type: 'event' }, event({ extra: { blob: 'x'.repeat(1024 * 1024) } })]), 413, 'FAULTLINE_BODY_TOO_LARGE', /Item 1 \("event"\) is \d+ bytes; an event is at most 1048576 bytes/],
  ])('answers %s with a clear 4xx', async (_name, body, status, code, message) => {
    app = await testApp();
    const res = await post(app, '/api/42/envelope/', body);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ code });
    expect(res.json().error).toMatch(message);
    expect(await issues(app)).toEqual([]);
  });

  it('refuses a project id that is not a number', async () => {
    app = await testApp();
    const res = await post(app, '/api/checkout/envelope/', eventEnvelope());
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/project id .* must be a number/);
  });
});

describe('POST /api/:projectId/store/', () => {
  it('stores a single event and answers 200 { id }', async () => {
    app = await testApp();
    const e = event({ message: 'from store' });
    const res = await app.inject({ method: 'POST', url: '/api/3/store/', payload: e, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: e.event_id });
    expect(await issues(app)).toHaveLength(1);
  });

  it('answers an empty or non-JSON body with FAULTLINE_INVALID_EVENT', async () => {
    app = await testApp();
    for (const payload of ['', 'nope']) {
      const res = await app.inject({ method: 'POST', url: '/api/3/store/', payload, headers: { 'content-type': 'application/json' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('FAULTLINE_INVALID_EVENT');
    }
  });
});

describe('Sentry ingest auth and rate limit', () => {
  const secured: CollectorOptions = { ingestKeys: [KEY], readToken: 'reader' };

  it.each([
    ['the X-Sentry-Auth header', '/api/42/envelope/', { 'x-sentry-auth': `Sentry sentry_version=7, sentry_key=${KEY}` }],
    ['the sentry_key query parameter', `/api/42/envelope/?sentry_version=7&sentry_key=${KEY}`, {}],
  ])('accepts the DSN public key in %s when it is an ingest key, without the read token', async (_name, url, headers) => {
    app = await testApp(secured);
    expect((await post(app, url, eventEnvelope(), headers)).statusCode).toBe(200);
  });

  it('answers 401 without a key or with a key that is not an ingest key', async () => {
    app = await testApp(secured);
    for (const url of ['/api/42/envelope/', '/api/42/envelope/?sentry_key=deadbeef', '/api/42/store/?sentry_key=deadbeef']) {
      const res = await post(app, url, eventEnvelope());
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'FAULTLINE_UNAUTHORIZED', error: expect.stringMatching(/X-Sentry-Auth: Sentry sentry_key=<key>/) });
    }
    expect(await issues(app, { authorization: 'Bearer reader' })).toEqual([]);
  });

  it('keeps the read API behind the read token (only the Sentry routes use ingest keys)', async () => {
    app = await testApp(secured);
    expect((await getJson(app, '/api/issues')).status).toBe(401);
    expect((await getJson(app, `/api/issues?sentry_key=${KEY}`)).status).toBe(401);
    expect((await getJson(app, '/api/issues', { authorization: 'Bearer reader' })).status).toBe(200);
  });

  it('answers 429 with Retry-After and X-Sentry-Rate-Limits once the per-key token bucket is empty', async () => {
    app = await testApp({ ...secured, rateLimitPerSecond: 1 });
    // The bucket holds one full batch (1,000 reports); one envelope of 1,000 events empties it.
    const many = envelope(...Array.from({ length: 1000 }, () => [{ type: 'event' }, event()] as [Record<string, unknown>, unknown]));
    expect((await post(app, `/api/42/envelope/?sentry_key=${KEY}`, many)).statusCode).toBe(200);
    const res = await post(app, `/api/42/envelope/?sentry_key=${KEY}`, eventEnvelope());
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe('FAULTLINE_RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(res.headers['x-sentry-rate-limits']).toBe(`${res.headers['retry-after']}::key`);
  });
});
