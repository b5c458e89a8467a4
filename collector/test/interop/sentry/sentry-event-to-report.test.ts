import { LIMITS, TRUNCATION_MARKER } from '@faultline/sdk/schema';
import { describe, expect, it } from 'vitest';
import { reportIdOf, sentryEventToReport } from '../../../src/interop/sentry/sentry-event-to-report.js';
import { validateReport } from '../../../src/ingest/validate-report.js';

const RECEIVED = Date.parse('2026-03-01T12:00:00.000Z');
const convert = (event: Record<string, unknown>, envelopeEventId?: unknown) => {
  const report = sentryEventToReport(event, { service: 'checkout', receivedAt: RECEIVED, envelopeEventId });
  const checked = validateReport(report);
  expect(checked.ok ? 'valid' : checked.error).toBe('valid');
  return report;
};

// What @sentry/node 10 sends for captureException(new TypeError('boom', { cause })), trimmed.
const nodeEvent = {
  event_id: '8886815867074cf19624655b40adbe95',
  level: 'error',
  platform: 'node',
  timestamp: 1796320403.069,
  environment: 'staging',
  release: 'checkout@1.2.3',
  server_name: 'web-1',
  exception: {
    values: [
      {
        type: 'Error',
        value: 'low level',
        stacktrace: {
          frames: [
            { filename: '/app/node_modules/lib/index.js', function: 'run', lineno: 3, colno: 9, in_app: false },
            { filename: '/app/src/db.js', module: 'db', function: 'inner', lineno: 21, colno: 26, in_app: true },
          ],
        },
        mechanism: { handled: true, type: 'chained', source: 'cause', exception_id: 1, parent_id: 0 },
      },
      {
        type: 'TypeError',
        value: 'high level',
        stacktrace: {
          frames: [
            { filename: 'node:internal/process/task_queues', function: 'processTicksAndRejections', lineno: 95, colno: 5, in_app: false },
            { filename: '/app/src/orders.js', function: '?', lineno: 22, colno: 42, in_app: true },
          ],
        },
        mechanism: { handled: true, type: 'generic', exception_id: 0 },
      },
    ],
  },
  contexts: {
    trace: { trace_id: '9754bbe6a40c4e17a49c7ebea0b73171', span_id: 'bc6c297356a6d857' },
    runtime: { name: 'node', version: 'v20.20.2' },
    device: { arch: 'x64' },
    order: { id: 1234 },
  },
  tags: { region: 'eu', attempt: 3, canary: true },
  user: { id: 'u1', email: 'a@b.c' },
  request: { method: 'POST', url: 'https://shop.example/orders', headers: { cookie: 'session=secret', 'user-agent': 'curl' } },
  extra: { cart: [1, 2] },
  sdk: { name: 'sentry.javascript.node', version: '10.78.0' },
};

describe('sentryEventToReport', () => {
  it('makes a valid schema-1 report with mechanism "sentry"', () => {
    const report = convert(nodeEvent);
    expect(report).toMatchObject({ schema: 1, mechanism: 'sentry', handled: true, level: 'error', sdk: { name: 'sentry.javascript.node', version: '10.78.0' } });
  });

  it('uses the last exception value as the error and the earlier ones as causes', () => {
    const report = convert(nodeEvent);
    expect([report.type, report.message]).toEqual(['TypeError', 'high level']);
    expect(report.causes).toEqual([
      {
        type: 'Error',
        message: 'low level',
        frames: [
          { file: '/app/src/db.js', function: 'inner', line: 21, column: 26, inApp: true },
          { file: '/app/node_modules/lib/index.js', function: 'run', line: 3, column: 9, inApp: false },
        ],
      },
    ]);
  });

  it('reverses frames to innermost first, keeps in_app, and names "?" functions <anonymous>', () => {
    expect(convert(nodeEvent).frames).toEqual([
      { file: '/app/src/orders.js', function: '<anonymous>', line: 22, column: 42, inApp: true },
      { file: 'node:internal/process/task_queues', function: 'processTicksAndRejections', line: 95, column: 5, inApp: false },
    ]);
  });

  it('judges frames without in_app as the SDK does (node_modules and node: are not in-app)', () => {
    const frames = [{ abs_path: '/srv/node_modules/x/y.js', function: 'a', lineno: 1 }, { abs_path: '/srv/app.js', function: 'b', lineno: 2 }];
    const report = convert({ exception: { values: [{ type: 'E', value: 'v', stacktrace: { frames } }] } });
    expect(report.frames.map((f) => [f.file, f.inApp])).toEqual([
      ['/srv/app.js', true],
      ['/srv/node_modules/x/y.js', false],
    ]);
  });

  it('maps tags (stringified), user, request (cookies redacted), extra and custom contexts', () => {
    const { context } = convert(nodeEvent);
    expect(context.tags).toEqual({ region: 'eu', attempt: '3', canary: 'true' });
    expect(context.user).toEqual({ id: 'u1', email: 'a@b.c' });
    expect(context.request).toMatchObject({ method: 'POST', url: 'https://shop.example/orders', headers: { cookie: '[redacted]', 'user-agent': 'curl' } });
    expect(context.extra).toMatchObject({ cart: [1, 2], contexts: { order: { id: 1234 }, runtime: { name: 'node' } } });
    expect((context.extra as { contexts: object }).contexts).not.toHaveProperty('trace');
  });

  it('maps contexts.trace to the trace and span ids', () => {
    expect(convert(nodeEvent).trace).toEqual({ traceId: '9754bbe6a40c4e17a49c7ebea0b73171', spanId: 'bc6c297356a6d857' });
    expect(convert({ ...nodeEvent, contexts: { trace: { trace_id: 'nope', span_id: 'x' } } }).trace).toBeUndefined();
  });

  it('maps release to service.version, environment, server_name to runtime.hostname, and the runtime', () => {
    const report = convert(nodeEvent);
    expect(report.service).toEqual({ name: 'checkout', version: 'checkout@1.2.3', environment: 'staging' });
    expect(report.runtime).toEqual({ name: 'node', version: 'v20.20.2', hostname: 'web-1', arch: 'x64' });
  });

  it.each([
    ['fatal', 'fatal'],
    ['error', 'error'],
    ['warning', 'warning'],
    ['info', 'info'],
    ['log', 'info'],
    ['debug', 'info'],
    [undefined, 'error'],
    ['nonsense', 'error'],
  ])('maps level %s to %s', (level, expected) => {
    expect(convert({ ...nodeEvent, level }).level).toBe(expected);
  });

  it('keeps the fingerprint, writing Sentry\'s {{ default }} (any spacing) as the report\'s', () => {
    expect(convert({ ...nodeEvent, fingerprint: ['{{default}}', 'db', 42] }).fingerprint).toEqual(['{{ default }}', 'db', '42']);
    expect(convert({ ...nodeEvent, fingerprint: [] }).fingerprint).toBeUndefined();
  });

  it.each([
    ['unix seconds with a fraction', 1796320403.069, '2026-12-03T17:53:23.069Z'],
    ['unix seconds as a string', '1796320403.5', '2026-12-03T17:53:23.500Z'],
    ['RFC 3339 with an offset', '2026-12-03T18:53:23.25+01:00', '2026-12-03T17:53:23.250Z'],
    ['RFC 3339 without an offset (UTC)', '2026-12-03T17:53:23', '2026-12-03T17:53:23.000Z'],
    ['no timestamp (the receive time)', undefined, '2026-03-01T12:00:00.000Z'],
    ['an invalid date (the receive time)', 'yesterday', '2026-03-01T12:00:00.000Z'],
  ])('converts a timestamp given as %s to RFC 3339 UTC with milliseconds', (_name, timestamp, expected) => {
    expect(convert({ ...nodeEvent, timestamp }).timestamp).toBe(expected);
  });

  it.each([
    ['a message string', { message: 'payment slow' }, 'payment slow'],
    ['a formatted message', { message: { formatted: 'user 7 missing', message: 'user %s missing', params: [7] } }, 'user 7 missing'],
    ['an unformatted message', { message: { message: 'user %s missing' } }, 'user %s missing'],
    ['a logentry', { logentry: { formatted: 'from logentry' } }, 'from logentry'],
  ])('uses %s when the event has no exception (no type: the message is the title)', (_name, fields, message) => {
    const report = convert({ event_id: 'a'.repeat(32), level: 'info', ...fields });
    expect([report.type, report.message, report.frames]).toEqual(['', message, []]);
  });

  it("uses a message event's attached stack trace", () => {
    const report = convert({ message: 'm', threads: { values: [{ id: 1, current: true, stacktrace: { frames: [{ filename: '/a.js', function: 'f', lineno: 1 }] } }] } });
    expect(report.frames).toEqual([{ file: '/a.js', function: 'f', line: 1, inApp: true }]);
  });

  it('turns event_id into the report id (dashless lowercase), from the envelope header when the event has none, else a random one', () => {
    expect(convert({ ...nodeEvent, event_id: '8886815A-6707-4CF1-9624-655B40ADBE95' }).id).toBe('8886815a67074cf19624655b40adbe95');
    expect(convert({ message: 'm' }, 'ABCDEF0123456789ABCDEF0123456789').id).toBe('abcdef0123456789abcdef0123456789');
    const random = [convert({ message: 'm' }).id, convert({ message: 'm' }).id];
    expect(random[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(random[0]).not.toBe(random[1]);
    // Not a uuid: hashed, so a retry of the same event still dedupes.
    expect(reportIdOf('evt-1')).toBe(reportIdOf('evt-1'));
    expect(reportIdOf('evt-1')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('takes handled from the mechanism', () => {
    const event = { exception: { values: [{ type: 'E', value: 'v', mechanism: { type: 'auto.node.onuncaughtexception', handled: false } }] }, level: 'fatal' };
    expect(convert(event)).toMatchObject({ handled: false, level: 'fatal' });
  });

  it('cuts over-long fields to the limits with the truncation marker instead of rejecting the event', () => {
    const long = 'x'.repeat(20_000);
    const report = convert({
      exception: { values: [{ type: 'T'.repeat(400), value: long, stacktrace: { frames: Array.from({ length: 150 }, (_, i) => ({ filename: `/f${i}.js`, function: long, lineno: i })) } }] },
      tags: Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`k${i}${'k'.repeat(80)}`, long])),
      extra: { deep: { a: { b: { c: { d: { e: 1 } } } } }, big: long },
      release: long,
      fingerprint: [long],
    });
    expect(report.message).toHaveLength(LIMITS.messageChars);
    expect(report.message.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(report.type).toHaveLength(LIMITS.typeChars);
    expect(report.frames).toHaveLength(LIMITS.framesPerStack);
    expect(report.frames[0]!.file).toBe('/f149.js');
    expect(report.frames[0]!.function.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(Object.keys(report.context.tags)).toHaveLength(LIMITS.tags);
    expect(Object.values(report.context.tags).every((v) => v.length === LIMITS.tagValueChars)).toBe(true);
    expect(report.service.version!.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(report.fingerprint![0]).toHaveLength(LIMITS.fingerprintPartChars);
    expect(JSON.stringify(report.context.extra)).toContain('[Object]');
  });

  it('survives values of the wrong type in every field', () => {
    const report = convert({
      event_id: 42,
      level: 7,
      timestamp: { t: 1 },
      exception: { values: [null, 'x', { type: 5, value: { a: 1 }, stacktrace: { frames: [null, { lineno: -1, colno: 1.5 }] }, mechanism: 'm' }] },
      tags: 'nope',
      user: 'u',
      contexts: [],
      release: 1,
      environment: null,
      sdk: 'sentry',
      fingerprint: 'x',
    });
    expect(report).toMatchObject({ type: 'Error', message: '', level: 'error', frames: [{ file: '<unknown>', function: '<anonymous>', inApp: false }] });
    expect(report.context.user).toEqual({ value: 'u' });
  });
});
