import { describe, expect, it } from 'vitest';
import { exceptionReport, otlpReportId, type OtlpException } from '../../../src/interop/otlp/exception-report.js';
import { attributes } from '../../../src/interop/otlp/otlp-values.js';
import { validateReport } from '../../../src/ingest/validate-report.js';
import { RESOURCE, STACK, stringAttr } from './otlp-fixtures.js';

const RECEIVED = Date.parse('2026-05-01T00:00:00.000Z');

function exception(overrides: Partial<OtlpException> = {}): OtlpException {
  return {
    attributes: attributes([stringAttr('exception.type', 'TypeError'), stringAttr('exception.message', 'boom'), stringAttr('exception.stacktrace', STACK)]),
    resource: attributes(RESOURCE.attributes),
    timeUnixNano: '1796320403069000000',
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    level: 'error',
    handled: true,
    tagAttributes: attributes([stringAttr('http.route', '/quote'), stringAttr('exception.type', 'not a tag')]),
    extra: { span: 'GET /quote' },
    ...overrides,
  };
}

function valid(e: OtlpException) {
  const report = exceptionReport(e, RECEIVED)!;
  const checked = validateReport(report);
  expect(checked.ok ? 'valid' : checked.error).toBe('valid');
  return report;
}

describe('exceptionReport', () => {
  it('maps the exception, trace ids and the resource (service, version, environment, runtime) into a valid report', () => {
    const report = valid(exception());
    expect(report).toMatchObject({
      schema: 1,
      mechanism: 'otlp',
      type: 'TypeError',
      message: 'boom',
      timestamp: '2026-12-03T17:53:23.069Z',
      stack: STACK,
      trace: { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174' },
      service: { name: 'pricing', version: '2.0.1', environment: 'staging' },
      runtime: { name: 'nodejs', pid: 4242 },
      sdk: { name: 'opentelemetry', version: '2.12.1' },
      context: { tags: { 'http.route': '/quote' }, extra: { span: 'GET /quote', resource: { 'cloud.region': 'eu-west-1' } } },
    });
    expect(report.frames[0]).toMatchObject({ function: 'priceOf', inApp: true });
  });

  it('prefers deployment.environment.name over the older deployment.environment', () => {
    const resource = attributes([...RESOURCE.attributes, stringAttr('deployment.environment.name', 'production')]);
    expect(valid(exception({ resource })).service.environment).toBe('production');
  });

  it('names a resource without service.name unknown_service, as OpenTelemetry does', () => {
    expect(valid(exception({ resource: new Map() })).service).toEqual({ name: 'unknown_service' });
  });

  it('derives the id from trace, span, time, type and message: the same exception sent twice has one id', () => {
    const a = valid(exception());
    expect(valid(exception()).id).toBe(a.id);
    expect(valid(exception({ timeUnixNano: '1796320403069000001' })).id).not.toBe(a.id);
    expect(valid(exception({ spanId: 'aaaaaaaaaaaaaaaa' })).id).not.toBe(a.id);
    expect(a.id).toBe(otlpReportId(['5b8efff798038103d269b633813fc60c', 'eee19b7ec3c1b174', '1796320403069000000', 'TypeError', 'boom']));
  });

  it('keeps the id a faultline SDK sent as faultline.report_id (not as a tag), so a report sent both ways is stored once', () => {
    const id = '0123456789abcdef0123456789abcdef';
    const withId = attributes([stringAttr('exception.type', 'E'), stringAttr('faultline.report_id', id)]);
    const report = valid(exception({ attributes: withId, tagAttributes: withId }));
    expect(report.id).toBe(id);
    expect(report.context.tags).toEqual({});
    expect(valid(exception({ attributes: attributes([stringAttr('exception.type', 'E'), stringAttr('faultline.report_id', 'not-hex')]) })).id).not.toBe('not-hex');
  });

  it('needs exception.type or exception.message; with one of them it fills the other', () => {
    expect(exceptionReport(exception({ attributes: attributes([stringAttr('exception.stacktrace', STACK)]) }), RECEIVED)).toBeUndefined();
    expect(valid(exception({ attributes: attributes([stringAttr('exception.message', 'only a message')]) }))).toMatchObject({ type: 'Error', message: 'only a message', frames: [] });
    expect(valid(exception({ attributes: attributes([stringAttr('exception.type', 'ENOENT')]), fallbackMessage: 'from the body' }))).toMatchObject({ type: 'ENOENT', message: 'from the body' });
  });

  it('uses the receive time without an event time, and has no trace without both ids', () => {
    const report = valid(exception({ timeUnixNano: undefined, spanId: undefined }));
    expect(report.timestamp).toBe('2026-05-01T00:00:00.000Z');
    expect(report.trace).toBeUndefined();
  });
});
