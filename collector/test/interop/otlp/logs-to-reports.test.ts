import { describe, expect, it } from 'vitest';
import { logsToReports, severityLevel } from '../../../src/interop/otlp/logs-to-reports.js';
import { logRecord, logs, SPAN_ID, stringAttr, TRACE_ID } from './otlp-fixtures.js';

describe('logsToReports', () => {
  it('makes a report of each log record with exception attributes, with its trace ids, and counts records', () => {
    const found = logsToReports(logs([logRecord(), logRecord({ attributes: [stringAttr('http.route', '/x')] })]), 0);
    expect(found.items).toBe(2);
    expect(found.owners).toEqual([0]);
    expect(found.reports[0]).toMatchObject({ type: 'QuoteError', message: 'no price for sku 7', trace: { traceId: TRACE_ID, spanId: SPAN_ID }, context: { extra: { scope: 'pino' } } });
  });

  it('uses the body as the message when exception.message is absent, and the observed time without a time', () => {
    const record = logRecord({ attributes: [stringAttr('exception.type', 'Timeout')], timeUnixNano: '0' });
    expect(logsToReports(logs([record]), 0).reports[0]).toMatchObject({ type: 'Timeout', message: 'quote failed', timestamp: '2026-12-03T17:53:23.070Z' });
  });

  it('marks a record unhandled by faultline.handled: false or exception.escaped', () => {
    const flagged = (attr: object) => logsToReports(logs([logRecord({ attributes: [...logRecord().attributes, attr] })]), 0).reports[0]!.handled;
    expect(flagged({ key: 'faultline.handled', value: { boolValue: false } })).toBe(false);
    expect(flagged({ key: 'exception.escaped', value: { boolValue: true } })).toBe(false);
    expect(flagged({ key: 'faultline.handled', value: { boolValue: true } })).toBe(true);
  });

  it.each([
    [24, undefined, 'fatal'],
    [21, undefined, 'fatal'],
    [17, undefined, 'error'],
    [13, undefined, 'warning'],
    [9, undefined, 'info'],
    [1, undefined, 'info'],
    [undefined, 'WARN', 'warning'],
    [0, undefined, 'error'],
    ['SEVERITY_NUMBER_FATAL', undefined, 'fatal'],
    ['SEVERITY_NUMBER_WARN2', undefined, 'warning'],
  ])('maps severity %s (text %s) to %s', (number, text, level) => {
    expect(severityLevel(number, text)).toBe(level);
  });
});
