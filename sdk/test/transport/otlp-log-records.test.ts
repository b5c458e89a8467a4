import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/schema.js';
import { logRecordOf, otlpLogsBody, otlpRejected } from '../../src/transport/otlp-log-records.js';

function report(overrides: Partial<Report> = {}): Report {
  return {
    schema: 1,
    id: '0123456789abcdef0123456789abcdef',
    timestamp: '2026-03-01T12:00:00.123Z',
    level: 'error',
    message: 'card declined',
    type: 'PaymentError',
    code: 'E_DECLINED',
    stack: 'PaymentError: card declined\n    at charge (/app/pay.js:3:9)',
    frames: [{ file: '/app/pay.js', function: 'charge', line: 3, column: 9, inApp: true }],
    handled: true,
    mechanism: 'captureException',
    context: { tags: { region: 'eu', 'exception.type': 'spoofed' } },
    trace: { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174' },
    service: { name: 'payments', version: '3.1.0', environment: 'production' },
    runtime: { name: 'node', version: '20.20.2', platform: 'linux', arch: 'x64', hostname: 'pay-1', pid: 77 },
    sdk: { name: '@faultline/sdk', version: '0.1.0' },
    ...overrides,
  };
}

const attrs = (record: Record<string, unknown>) =>
  Object.fromEntries((record.attributes as { key: string; value: Record<string, unknown> }[]).map((a) => [a.key, Object.values(a.value)[0]]));

describe('logRecordOf', () => {
  it('writes the exception attributes of the semantic conventions, the report id, and the tags', () => {
    expect(attrs(logRecordOf(report()))).toEqual({
      'exception.type': 'PaymentError',
      'exception.message': 'card declined',
      'exception.stacktrace': 'PaymentError: card declined\n    at charge (/app/pay.js:3:9)',
      'faultline.report_id': '0123456789abcdef0123456789abcdef',
      'faultline.mechanism': 'captureException',
      'faultline.handled': true,
      'faultline.error_code': 'E_DECLINED',
      region: 'eu',
    });
  });

  it('carries time in nanoseconds, the trace and span ids, and the message as body', () => {
    expect(logRecordOf(report())).toMatchObject({
      timeUnixNano: '1772366400123000000',
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      body: { stringValue: 'card declined' },
    });
    expect(logRecordOf(report({ trace: undefined }))).not.toHaveProperty('traceId');
  });

  it.each([
    ['fatal', 21, 'FATAL'],
    ['error', 17, 'ERROR'],
    ['warning', 13, 'WARN'],
    ['info', 9, 'INFO'],
  ] as const)('maps level %s to severity %i %s', (level, number, text) => {
    expect(logRecordOf(report({ level }))).toMatchObject({ severityNumber: number, severityText: text });
  });

  it('writes a V8-style stack from the frames when the report has none', () => {
    const record = logRecordOf(report({ stack: undefined, frames: [{ file: '/a.js', function: 'f', line: 1, column: 2, inApp: true, async: true }, { file: '<native>', function: 'g', inApp: false }] }));
    expect(attrs(record)['exception.stacktrace']).toBe('PaymentError: card declined\n    at async f (/a.js:1:2)\n    at g (<native>)');
  });
});

describe('otlpLogsBody', () => {
  it('is an ExportLogsServiceRequest with one resourceLogs per resource (service.*, deployment.environment.name, runtime)', () => {
    const body = JSON.parse(otlpLogsBody([report(), report({ id: 'f'.repeat(32) }), report({ service: { name: 'other' } })]));
    expect(body.resourceLogs).toHaveLength(2);
    const [first] = body.resourceLogs;
    expect(attrs(first.resource)).toMatchObject({
      'service.name': 'payments',
      'service.version': '3.1.0',
      'deployment.environment.name': 'production',
      'process.runtime.name': 'nodejs',
      'host.name': 'pay-1',
      'process.pid': '77',
    });
    expect(first.scopeLogs[0].scope).toEqual({ name: '@faultline/sdk', version: '0.1.0' });
    expect(first.scopeLogs[0].logRecords).toHaveLength(2);
  });
});

describe('otlpRejected', () => {
  it('counts partialSuccess.rejectedLogRecords (a string or a number) as that many rejected reports', () => {
    expect(otlpRejected('{"partialSuccess":{"rejectedLogRecords":"2","errorMessage":"bad"}}', 5)).toEqual([
      { index: 3, error: 'bad' },
      { index: 4, error: 'bad' },
    ]);
    expect(otlpRejected('{"partialSuccess":{"rejectedLogRecords":9}}', 2)).toHaveLength(2);
    expect(otlpRejected('{}', 2)).toEqual([]);
    expect(otlpRejected('', 2)).toEqual([]);
    expect(otlpRejected('not json', 2)).toEqual([]);
  });
});
