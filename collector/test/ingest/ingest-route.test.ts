import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getJson, ingest, testApp } from '../helpers/app.js';
import { GatedStore } from '../helpers/gated-store.js';
import { frame, makeReport } from '../helpers/reports.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await app?.close();
  app = undefined;
});

const post = (target: FastifyInstance, payload: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  target.inject({ method: 'POST', url: '/v1/reports', payload, headers });

async function issueCount(target: FastifyInstance): Promise<number> {
  const { body } = await getJson(target, '/api/issues');
  return body.issues.reduce((sum: number, i: { count: number }) => sum + i.count, 0);
}

describe('POST /v1/reports', () => {
  it('answers 202 { accepted, duplicates, rejected } and stores the reports', async () => {
    app = await testApp();
    const res = await ingest(app, [makeReport(), makeReport()]);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    expect(await issueCount(app)).toBe(2);
  });

  it('rejects a malformed report alone, with an error naming the field, and stores the rest', async () => {
    app = await testApp();
    const bad = { ...makeReport(), level: 'loud' };
    const badFrame = makeReport({ frames: [{ ...frame('/app/a.ts', 'f'), line: 'ten' as unknown as number }] });
    const res = await ingest(app, [makeReport(), bad, 'not a report', badFrame]);
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(1);
    expect(res.body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2, 3]);
    expect(res.body.rejected[0].error).toMatch(/^\/level: /);
    expect(res.body.rejected[1].error).toMatch(/^\/: /);
    expect(res.body.rejected[2].error).toMatch(/^\/frames\/0\/line: Expected integer/);
    expect(await issueCount(app)).toBe(1);
  });

  it.each([
    ['an invalid calendar date', { timestamp: '2026-02-31T10:00:00.000Z' }, /^\/timestamp: not a valid date/],
    ['context nested deeper than 5 levels', { context: { tags: {}, extra: { a: { b: { c: { d: { e: { f: 1 } } } } } } } }, /^\/context\/extra\/a\/b\/c\/d\/e: nested deeper than 5 levels/],
    ['a context part over 16 KiB', { context: { tags: {}, request: { body: 'x'.repeat(17 * 1024) } } }, /^\/context\/request: \d+ bytes serialized, the limit is 16384/],
    ['an unknown field', { colour: 'red' }, /^\/colour: /],
  ])('rejects %s, naming the field', async (_name, overrides, error) => {
    app = await testApp();
    const res = await ingest(app, [{ ...makeReport(), ...overrides }]);
    expect(res.status).toBe(202);
    expect(res.body.rejected).toHaveLength(1);
    expect(res.body.rejected[0].error).toMatch(error);
  });

  it('rejects a report over 1 MiB serialized, alone', async () => {
    app = await testApp();
    const longFrame = frame(`/app/${'d'.repeat(1000)}.ts`, 'f');
    const linked = Array.from({ length: 20 }, () => ({ type: 'Error', message: 'm', frames: Array.from({ length: 60 }, () => longFrame) }));
    const res = await ingest(app, [makeReport({ errors: linked }), makeReport()]);
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(1);
    expect(res.body.rejected[0]).toMatchObject({ index: 0, error: expect.stringMatching(/^\/: report is \d+ bytes, the limit is 1048576$/) });
  });

  it('ingests each id once: a retried batch adds nothing twice', async () => {
    app = await testApp();
    const batch = [makeReport(), makeReport(), makeReport()];
    expect((await ingest(app, batch)).body).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    expect((await ingest(app, batch)).body).toEqual({ accepted: 0, duplicates: 3, rejected: [] });
    expect((await ingest(app, [batch[0], makeReport()])).body).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    expect(await issueCount(app)).toBe(4);
  });

  it('accepts a JSON content type with parameters', async () => {
    app = await testApp();
    const res = await post(app, JSON.stringify({ reports: [makeReport()] }), { 'content-type': 'application/json; charset=utf-8' });
    expect(res.statusCode).toBe(202);
  });

  it('accepts gzip bodies', async () => {
    app = await testApp();
    const body = gzipSync(JSON.stringify({ reports: [makeReport()] }));
    const res = await post(app, body, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  });

  it.each([
    ['a gzip bomb', () => gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)), { 'content-encoding': 'gzip' }, 413, 'FAULTLINE_BODY_INFLATED_TOO_LARGE'],
    ['a body over 20 MiB', () => Buffer.alloc(21 * 1024 * 1024, 0x20), {}, 413, 'FAULTLINE_BODY_TOO_LARGE'],
    ['invalid gzip', () => Buffer.from('{"reports":[]}'), { 'content-encoding': 'gzip' }, 400, 'FAULTLINE_INVALID_GZIP'],
    ['invalid JSON', () => Buffer.from('{"reports":'), {}, 400, 'FAULTLINE_INVALID_JSON'],
    ['a body that is not a batch', () => Buffer.from('[1,2]'), {}, 400, 'FAULTLINE_INVALID_BATCH'],
    ['a batch without reports', () => Buffer.from('{"dropped":{}}'), {}, 400, 'FAULTLINE_INVALID_BATCH'],
    ['an unsupported encoding', () => Buffer.from('{}'), { 'content-encoding': 'br' }, 415, 'FAULTLINE_UNSUPPORTED_ENCODING'],
    ['a non-JSON content type', () => Buffer.from('{}'), { 'content-type': 'text/plain' }, 415, 'FAULTLINE_UNSUPPORTED_MEDIA_TYPE'],
    ['a form content type', () => Buffer.from('a=1'), { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'FAULTLINE_UNSUPPORTED_MEDIA_TYPE'],
  ])('answers %s with its own clear 4xx', async (_name, body, headers, status, code) => {
    app = await testApp();
    const res = await post(app, body(), { 'content-type': 'application/json', ...headers });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({ error: expect.any(String), code });
  });

  it.each([
    ['no body and no content type', {}],
    ['an empty body and no content type', { 'content-length': '0' }],
    ['an empty JSON body', { 'content-type': 'application/json', 'content-length': '0' }],
  ])('answers %s with 400 FAULTLINE_INVALID_JSON, counted as invalid_json', async (_name, headers) => {
    app = await testApp();
    const res = await app.inject({ method: 'POST', url: '/v1/reports', headers });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'The body is empty; expected JSON', code: 'FAULTLINE_INVALID_JSON' });
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toContain('faultline_requests_rejected_total{reason="invalid_json"} 1');
    expect(metrics).not.toContain('reason="internal"');
  });

  it.each([
    ['text/plain', { 'content-type': 'text/plain;charset=UTF-8' }, 'Content-Type "text/plain;charset=UTF-8" is not supported; send application/json (optionally gzip- or deflate-encoded)'],
    ['none', {}, 'The request has no Content-Type; send application/json (optionally gzip- or deflate-encoded)'],
  ])('answers the content type %s with 415 naming what it got and what it accepts', async (_name, headers, message) => {
    app = await testApp();
    const res = await post(app, JSON.stringify({ reports: [makeReport()] }), headers);
    expect(res.statusCode).toBe(415);
    expect(res.json()).toEqual({ error: message, code: 'FAULTLINE_UNSUPPORTED_MEDIA_TYPE' });
  });

  it.each(['', '  ', 'identity, ', 'Identity'])('takes the Content-Encoding %j as none', async (encoding) => {
    app = await testApp();
    const res = await post(app, JSON.stringify({ reports: [makeReport()] }), { 'content-type': 'application/json', 'content-encoding': encoding });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  });

  it('refuses more than 1,000 reports in a batch with 413', async () => {
    app = await testApp();
    const res = await ingest(app, Array.from({ length: 1001 }, () => ({})));
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: 'A batch holds at most 1000 reports, got 1001', code: 'FAULTLINE_TOO_MANY_REPORTS' });
  });

  it('counts the SDK-reported dropped reports by reason', async () => {
    app = await testApp();
    const res = await app.inject({ method: 'POST', url: '/v1/reports', payload: { reports: [], dropped: { queue_full: 5, 'Weird Reason!': 2 } } });
    expect(res.statusCode).toBe(202);
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toContain('faultline_sdk_dropped_reports_total{reason="queue_full"} 5');
    expect(metrics).toContain('faultline_sdk_dropped_reports_total{reason="other"} 2');
  });
});

describe('ingest keys', () => {
  it.each([
    ['no Authorization header', {}],
    ['an unknown key', { authorization: 'Bearer nope' }],
    ['a malformed header', { authorization: 'Basic a2V5LTE=' }],
  ])('answers 401 { error, code } to %s', async (_name, headers) => {
    app = await testApp({ ingestKeys: ['key-1', 'key-2'] });
    const res = await ingest(app, [makeReport()], headers);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: expect.stringContaining('ingest key'), code: 'FAULTLINE_UNAUTHORIZED' });
  });

  it('accepts each configured key as Authorization: Bearer <key>', async () => {
    app = await testApp({ ingestKeys: ['key-1', 'key-2'] });
    expect((await ingest(app, [makeReport()], { authorization: 'Bearer key-1' })).status).toBe(202);
    expect((await ingest(app, [makeReport()], { authorization: 'bearer key-2' })).status).toBe(202);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once a key has used its reports per second, per key', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    app = await testApp({ ingestKeys: ['a', 'b'], rateLimitPerSecond: 1000 });
    const batch = () => Array.from({ length: 600 }, () => makeReport());
    expect((await ingest(app, batch(), { authorization: 'Bearer a' })).status).toBe(202);
    const limited = await ingest(app, batch(), { authorization: 'Bearer a' });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('FAULTLINE_RATE_LIMITED');
    expect(limited.headers['retry-after']).toBe('1');
    expect((await ingest(app, batch(), { authorization: 'Bearer b' })).status).toBe(202);
    vi.advanceTimersByTime(1000);
    expect((await ingest(app, batch(), { authorization: 'Bearer a' })).status).toBe(202);
  });

  it('applies no limit when no keys are configured', async () => {
    app = await testApp({ rateLimitPerSecond: 1 });
    for (let i = 0; i < 3; i++) expect((await ingest(app, Array.from({ length: 1000 }, () => makeReport()))).status).toBe(202);
  });
});

describe('commit', () => {
  it('answers 202 only after the transaction holding the reports committed', async () => {
    const gated = new GatedStore();
    app = await testApp({ store: gated.store });
    const report = makeReport();
    let answered = false;
    const pending = ingest(app, [report]).then((res) => {
      answered = true;
      return res;
    });
    await vi.waitFor(() => expect(app!.faultline.writer.depth).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    expect(await gated.inner.getEvent(report.id)).toBeUndefined();
    gated.open();
    expect((await pending).status).toBe(202);
    expect(await gated.inner.getEvent(report.id)).toMatchObject({ id: report.id });
  });

  it('lets concurrent requests share one transaction (group commit)', async () => {
    const gated = new GatedStore();
    app = await testApp({ store: gated.store });
    const first = ingest(app, [makeReport()]);
    await vi.waitFor(() => expect(app!.faultline.writer.depth).toBe(1));
    const others = Array.from({ length: 9 }, () => ingest(app!, [makeReport(), makeReport()]));
    await vi.waitFor(() => expect(app!.faultline.writer.depth).toBe(19));
    gated.open();
    const answers = await Promise.all([first, ...others]);
    expect(answers.map((a) => a.status)).toEqual(new Array(10).fill(202));
    expect(gated.transactions).toEqual([1, 18]);
  });

  it('answers 503 with Retry-After when the write queue is over its bound', async () => {
    const gated = new GatedStore();
    app = await testApp({ store: gated.store, maxQueuedReports: 5 });
    const first = ingest(app, [makeReport(), makeReport(), makeReport()]);
    await vi.waitFor(() => expect(app!.faultline.writer.depth).toBe(3));
    const refused = await ingest(app, [makeReport(), makeReport(), makeReport()]);
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('FAULTLINE_OVERLOADED');
    expect(refused.headers['retry-after']).toBe('1');
    gated.open();
    expect((await first).status).toBe(202);
    expect((await ingest(app, [makeReport(), makeReport(), makeReport()])).status).toBe(202);
  });

  it('answers 503 when the store cannot commit, and stores nothing', async () => {
    const gated = new GatedStore();
    gated.failWith(new Error('disk full'));
    gated.open();
    app = await testApp({ store: gated.store });
    const res = await ingest(app, [makeReport()]);
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('FAULTLINE_STORE_UNAVAILABLE');
    expect(await issueCount(app)).toBe(0);
  });
});

describe('ingestReports (the pipeline other ingest routes reuse)', () => {
  it('validates, groups, commits and answers like the route', async () => {
    app = await testApp();
    const report = makeReport();
    const result = await app.faultline.ingestReports([report, { nope: true }, report], {});
    expect(result).toEqual({ accepted: 1, duplicates: 1, rejected: [{ index: 1, error: expect.stringMatching(/^\/\w+: /) }] });
    expect(await issueCount(app)).toBe(1);
  });
});

describe('report timestamps ahead of the collector', () => {
  it("counts a report stamped more than 60 s ahead at its arrival, so it cannot freeze the issue's newest event", async () => {
    app = await testApp();
    const far = makeReport({ timestamp: '9999-12-31T23:59:59.999Z', level: 'info', environment: 'dev-laptop' });
    const near = makeReport({ timestamp: new Date(Date.now() + 30_000).toISOString(), level: 'warning' });
    expect((await ingest(app, [far, near])).body.accepted).toBe(2);
    const later = makeReport({ timestamp: new Date(Date.now() + 45_000).toISOString(), level: 'fatal', environment: 'production' });
    expect((await ingest(app, [later])).body.accepted).toBe(1);

    const { body } = await getJson(app, '/api/issues');
    expect(body.issues).toHaveLength(1);
    const issue = body.issues[0];
    expect(issue.count).toBe(3);
    // The newest event is the one 45 s ahead (within the tolerance), not the one stamped in year 9999.
    expect(issue.lastSeen).toBe(later.timestamp);
    expect(issue).toMatchObject({ level: 'fatal', environment: 'production' });
    // The stored report keeps what the client sent.
    expect((await getJson(app, `/api/events/${far.id}`)).body.timestamp).toBe('9999-12-31T23:59:59.999Z');
  });
});
