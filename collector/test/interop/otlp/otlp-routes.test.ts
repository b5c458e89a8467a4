import { gzipSync } from 'node:zlib';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import protobuf from 'protobufjs/light.js';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { otlpEncoding } from '../../../src/interop/otlp/otlp-routes.js';
import { getJson, testApp } from '../../helpers/app.js';
import { exceptionEvent, logRecord, logs, span, traces } from './otlp-fixtures.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const postJson = (target: FastifyInstance, url: string, body: unknown, headers: Record<string, string> = {}) =>
  target.inject({ method: 'POST', url, payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

async function events(target: FastifyInstance) {
  const { body } = await getJson(target, '/api/issues?limit=100');
  const out = [];
  for (const issue of body.issues) out.push(...(await getJson(target, `/api/issues/${issue.id}/events`)).body.events);
  return out;
}

// google.rpc.Status, the body of an OTLP error answer, as a protobuf client reads it.
const rpcStatus = protobuf.Root.fromJSON({ nested: { Status: { fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 } } } } }).lookupType('Status');

describe('POST /v1/traces', () => {
  it('turns each span event named exception into a report and answers 200 {}', async () => {
    app = await testApp();
    const res = await postJson(app, '/v1/traces', traces([span([exceptionEvent(), { name: 'log', timeUnixNano: '1', attributes: [] }]), span([], { spanId: '1111111111111111' })]));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({});
    const stored = await events(app);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ mechanism: 'otlp', type: 'TypeError', service: { name: 'pricing', version: '2.0.1', environment: 'staging' } });
  });

  it('accepts gzip bodies', async () => {
    app = await testApp();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/traces',
      payload: gzipSync(JSON.stringify(traces([span([exceptionEvent()])]))),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(res.statusCode).toBe(200);
    expect(await events(app)).toHaveLength(1);
  });

  it('accepts and drops a request without exceptions, and an empty one', async () => {
    app = await testApp();
    expect((await postJson(app, '/v1/traces', traces([span([])]))).statusCode).toBe(200);
    expect((await postJson(app, '/v1/traces', {})).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/x-protobuf' }, payload: Buffer.alloc(0) })).statusCode).toBe(200);
    expect(await events(app)).toEqual([]);
  });

  it('answers a protobuf request in protobuf (an empty ExportTraceServiceResponse)', async () => {
    app = await testApp();
    const res = await app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/x-protobuf' }, payload: Buffer.alloc(0) });
    expect(res.headers['content-type']).toBe('application/x-protobuf');
    expect(ProtobufTraceSerializer.deserializeResponse(res.rawPayload)).toEqual({});
  });

  /** An app whose pipeline refuses the first report of each call, as validation would refuse a malformed one. */
  async function refusingFirstReport(): Promise<FastifyInstance> {
    const target = await buildApp({ sqlitePath: ':memory:', logLevel: 'silent', uiDir: '/nonexistent-ui-dir', retentionIntervalMs: 0 });
    const ingest = target.faultline.ingestReports;
    target.faultline.ingestReports = async (reports, context) => {
      const result = await ingest(reports.slice(1), context);
      return { ...result, rejected: [{ index: 0, error: '/message: too long' }, ...result.rejected.map((r) => ({ ...r, index: r.index + 1 }))] };
    };
    await target.ready();
    return target;
  }

  it('reports spans whose exception the pipeline refused as partialSuccess.rejectedSpans (JSON)', async () => {
    app = await refusingFirstReport();
    const body = traces([span([exceptionEvent('A'), exceptionEvent('B')]), span([exceptionEvent('C')], { spanId: '2222222222222222' }), span([])]);
    const res = await postJson(app, '/v1/traces', body);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ partialSuccess: { rejectedSpans: '1', errorMessage: '1 of 3 spans had an exception that could not be stored; the first: /message: too long' } });
    expect(await events(app)).toHaveLength(2);
  });

  it('reads protobuf requests and answers partialSuccess in protobuf, as the exporters serialize and parse them', async () => {
    app = await refusingFirstReport();
    const memory = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] }).getTracer('t');
    for (const message of ['first', 'second']) {
      const s = tracer.startSpan(message);
      s.recordException(new Error(message));
      s.end();
    }
    const res = await app.inject({
      method: 'POST',
      url: '/v1/traces',
      headers: { 'content-type': 'application/x-protobuf' },
      payload: Buffer.from(ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans())!),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-protobuf');
    const answer = ProtobufTraceSerializer.deserializeResponse(res.rawPayload);
    expect(Number(answer.partialSuccess?.rejectedSpans)).toBe(1);
    expect(answer.partialSuccess?.errorMessage).toMatch(/^1 of 2 spans had an exception that could not be stored/);
    const stored = await events(app);
    expect(stored.map((e) => e.message)).toEqual(['second']);
  });

  it('answers 415 for a content type that is not OTLP, naming the accepted ones', async () => {
    app = await testApp();
    const res = await app.inject({ method: 'POST', url: '/v1/traces', payload: 'x', headers: { 'content-type': 'text/plain' } });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toEqual({ code: 3, message: expect.stringMatching(/FAULTLINE_UNSUPPORTED_MEDIA_TYPE: Content-Type text\/plain is not OTLP; use application\/json or application\/x-protobuf/) });
  });

  it('answers malformed bodies with 400 and a google.rpc.Status in the request encoding', async () => {
    app = await testApp();
    const json = await app.inject({ method: 'POST', url: '/v1/traces', payload: '{"resourceSpans": [', headers: { 'content-type': 'application/json' } });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ code: 3, message: expect.stringMatching(/^FAULTLINE_INVALID_JSON: /) });
    const proto = await app.inject({ method: 'POST', url: '/v1/traces', payload: Buffer.from([0x0a, 0xff, 0xff, 0xff]), headers: { 'content-type': 'application/x-protobuf' } });
    expect(proto.statusCode).toBe(400);
    const status = rpcStatus.toObject(rpcStatus.decode(proto.rawPayload));
    expect(status).toMatchObject({ code: 3, message: expect.stringMatching(/^FAULTLINE_INVALID_OTLP: The body is not a valid OTLP traces protobuf message/) });
  });

  it('requires an ingest key as Authorization: Bearer when keys are configured (401 UNAUTHENTICATED)', async () => {
    app = await testApp({ ingestKeys: ['k1'], readToken: 'r' });
    const denied = await postJson(app, '/v1/traces', traces([span([exceptionEvent()])]));
    expect(denied.statusCode).toBe(401);
    expect(denied.json()).toMatchObject({ code: 16 });
    expect((await postJson(app, '/v1/traces', traces([span([exceptionEvent()])]), { authorization: 'Bearer k1' })).statusCode).toBe(200);
  });

  it('answers 429 with Retry-After (retryable in OTLP) once the per-key rate limit is spent', async () => {
    app = await testApp({ ingestKeys: ['k1'], readToken: 'r', rateLimitPerSecond: 1 });
    const many = traces(Array.from({ length: 1000 }, (_, i) => span([exceptionEvent()], { spanId: (i + 1).toString(16).padStart(16, '0') })));
    expect((await postJson(app, '/v1/traces', many, { authorization: 'Bearer k1' })).statusCode).toBe(200);
    const limited = await postJson(app, '/v1/traces', traces([span([exceptionEvent('Late')])]), { authorization: 'Bearer k1' });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.json()).toMatchObject({ code: 8, message: expect.stringMatching(/^FAULTLINE_RATE_LIMITED/) });
  });

  it('ingests more than 1,000 exceptions of one request in batches', async () => {
    app = await testApp();
    const spans = Array.from({ length: 1001 }, (_, i) => span([exceptionEvent()], { spanId: (i + 1).toString(16).padStart(16, '0') }));
    expect((await postJson(app, '/v1/traces', traces(spans))).statusCode).toBe(200);
    expect((await getJson(app, '/api/issues')).body.issues[0].count).toBe(1001);
  });
});

describe('POST /v1/logs', () => {
  it('turns log records with exception attributes into reports, drops the others, answers 200 {}', async () => {
    app = await testApp();
    const res = await postJson(app, '/v1/logs', logs([logRecord(), logRecord({ attributes: [] }), logRecord({ body: { stringValue: 'no exception' }, attributes: [{ key: 'http.route', value: { stringValue: '/x' } }] })]));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({});
    const stored = await events(app);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ type: 'QuoteError', message: 'no price for sku 7', level: 'error' });
  });

  it('reports refused exceptions as partialSuccess.rejectedLogRecords', async () => {
    app = await buildApp({ sqlitePath: ':memory:', logLevel: 'silent', uiDir: '/nonexistent-ui-dir', retentionIntervalMs: 0 });
    app.faultline.ingestReports = async (reports) => ({ accepted: 0, duplicates: 0, rejected: reports.map((_, index) => ({ index, error: '/x: bad' })) });
    await app.ready();
    const res = await postJson(app, '/v1/logs', logs([logRecord(), logRecord({ spanId: '3333333333333333' })]));
    expect(res.json()).toEqual({ partialSuccess: { rejectedLogRecords: '2', errorMessage: '2 of 2 log records had an exception that could not be stored; the first: /x: bad' } });
  });
});

describe('otlpEncoding', () => {
  it.each([
    ['application/json', 'json'],
    ['application/json; charset=utf-8', 'json'],
    [undefined, 'json'],
    ['application/x-protobuf', 'protobuf'],
    ['application/protobuf', 'protobuf'],
    ['text/plain', undefined],
  ])('reads %s as %s', (type, expected) => {
    expect(otlpEncoding(type)).toBe(expected);
  });
});
