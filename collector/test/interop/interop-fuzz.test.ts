import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EVENT_BYTES } from '../../src/interop/sentry/sentry-routes.js';
import { testApp } from '../helpers/app.js';

// Generated bodies on the Sentry and OTLP endpoints: none may produce a 5xx; a Sentry event, whatever its fields
// hold, is stored (cut to the limits), never refused.
const RUNS = { sentryFields: 1000, envelopes: 1000, otlpJson: 1000, otlpBytes: 800 };
const SEED = 7;

let app: FastifyInstance;
beforeAll(async () => {
  app = await testApp();
});
afterAll(() => app.close());

async function post(url: string, payload: string | Buffer, contentType?: string) {
  const res = await app.inject({ method: 'POST', url, payload, headers: contentType === undefined ? {} : { 'content-type': contentType } });
  if (res.statusCode >= 500) throw new Error(`${res.statusCode} ${res.body}`);
  return res;
}

const FIELDS = ['event_id', 'timestamp', 'level', 'message', 'logentry', 'exception', 'tags', 'user', 'request', 'extra', 'contexts', 'release', 'environment', 'server_name', 'fingerprint', 'sdk', 'platform', 'threads', 'stacktrace'];
const value = fc.oneof({ weight: 10, arbitrary: fc.jsonValue({ maxDepth: 8 }) }, { weight: 1, arbitrary: fc.integer({ min: 10_000, max: 200_000 }).map((n) => '€'.repeat(n)) });
// Frames get small values: a large generated value per frame makes generation, not the collector, the cost.
const scalar = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const exceptionValue = fc.record(
  {
    type: value,
    value,
    mechanism: fc.oneof(value, fc.record({ handled: value, exception_id: value, parent_id: value, source: value })),
    stacktrace: fc.oneof(value, fc.record({ frames: fc.array(fc.oneof(value, fc.dictionary(fc.constantFrom('filename', 'abs_path', 'function', 'lineno', 'colno', 'in_app', 'module'), scalar)), { maxLength: 130 }) })),
  },
  { requiredKeys: [] },
);

describe('interop ingest under generated bodies', () => {
  it('stores a Sentry event whatever its fields hold: 200, never a refusal (but for the 1 MiB event limit)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...FIELDS), value), fc.array(exceptionValue, { maxLength: 8 }), async (fields, exceptions) => {
        const event = { ...fields, exception: { values: exceptions } };
        const body = JSON.stringify(event);
        const res = await post('/api/1/store/', body, 'application/json');
        // An event over Sentry's own 1 MiB limit is the one refusal.
        expect(res.statusCode, res.body).toBe(Buffer.byteLength(body) > MAX_EVENT_BYTES ? 413 : 200);
      }),
      { numRuns: RUNS.sentryFields, seed: SEED },
    );
  }, 120_000);

  it('answers envelopes of arbitrary lines and bytes with 200 or a 4xx', async () => {
    const line = fc.oneof(fc.json(), fc.string(), fc.constant('{"type":"event"}'), fc.constant('{"type":"event","length":5}'), fc.constant('{"type":"attachment","length":3}'));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 8 }), fc.uint8Array({ maxLength: 64 }), async (lines, tail) => {
        const res = await post('/api/1/envelope/', Buffer.concat([Buffer.from(lines.join('\n')), Buffer.from(tail)]));
        expect(res.statusCode === 200 || (res.statusCode >= 400 && res.statusCode < 500)).toBe(true);
      }),
      { numRuns: RUNS.envelopes, seed: SEED },
    );
  }, 120_000);

  it('answers any JSON on /v1/traces and /v1/logs with 200 or 400', async () => {
    const kv = fc.record({ key: fc.oneof(fc.constantFrom('exception.type', 'exception.message', 'exception.stacktrace', 'service.name'), fc.string()), value: fc.oneof(fc.jsonValue(), fc.record({ stringValue: fc.string() })) });
    const attrs = fc.oneof(fc.jsonValue(), fc.array(kv, { maxLength: 6 }));
    const item = fc.record({ name: fc.oneof(fc.constant('exception'), fc.string()), events: fc.array(fc.record({ name: fc.constant('exception'), attributes: attrs, timeUnixNano: fc.jsonValue() }), { maxLength: 3 }), attributes: attrs, traceId: fc.jsonValue(), spanId: fc.jsonValue(), severityNumber: fc.jsonValue(), body: fc.jsonValue() }, { requiredKeys: [] });
    const request = fc.record({ resource: fc.record({ attributes: attrs }), scopeSpans: fc.array(fc.record({ spans: fc.array(item, { maxLength: 4 }) })), scopeLogs: fc.array(fc.record({ logRecords: fc.array(item, { maxLength: 4 }) })) }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), request), fc.constantFrom('traces', 'logs'), async (resource, signal) => {
        const body = signal === 'traces' ? { resourceSpans: [resource] } : { resourceLogs: [{ ...(resource as object), scopeLogs: (resource as { scopeLogs?: unknown })?.scopeLogs }] };
        const res = await post(`/v1/${signal}`, JSON.stringify(body), 'application/json');
        expect([200, 400]).toContain(res.statusCode);
      }),
      { numRuns: RUNS.otlpJson, seed: SEED },
    );
  }, 120_000);

  it('answers arbitrary bytes as OTLP protobuf with 200 or 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), fc.constantFrom('traces', 'logs'), async (bytes, signal) => {
        const res = await post(`/v1/${signal}`, Buffer.from(bytes), 'application/x-protobuf');
        expect([200, 400]).toContain(res.statusCode);
      }),
      { numRuns: RUNS.otlpBytes, seed: SEED },
    );
  }, 120_000);
});
