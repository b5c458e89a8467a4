import { describe, expect, it } from 'vitest';
import { tracesToReports } from '../../../src/interop/otlp/traces-to-reports.js';
import { exceptionEvent, span, stringAttr, traces, TRACE_ID } from './otlp-fixtures.js';

describe('tracesToReports', () => {
  it('makes one report per span event named exception, with the span ids and attributes, and counts spans', () => {
    const found = tracesToReports(traces([span([exceptionEvent('A'), exceptionEvent('B')]), span([{ name: 'cache miss', timeUnixNano: '1' }], { spanId: '1111111111111111' }), span([exceptionEvent('C')], { spanId: '2222222222222222' })]), 0);
    expect(found.items).toBe(3);
    expect(found.reports.map((r) => r.type)).toEqual(['A', 'B', 'C']);
    expect(found.owners).toEqual([0, 0, 2]);
    expect(found.reports[2]!.trace).toEqual({ traceId: TRACE_ID, spanId: '2222222222222222' });
    expect(found.reports[0]!.context.tags).toEqual({ 'http.route': '/quote', 'http.status_code': '500' });
    expect(found.reports[0]!.context.extra).toMatchObject({ span: 'GET /quote', scope: 'express' });
  });

  it('marks an exception that escaped the span (exception.escaped) as unhandled', () => {
    const event = { ...exceptionEvent(), attributes: [...exceptionEvent().attributes, { key: 'exception.escaped', value: { boolValue: true } }] };
    expect(tracesToReports(traces([span([event])]), 0).reports[0]).toMatchObject({ handled: false, level: 'error' });
  });

  it('reads snake_case field names too', () => {
    const body = { resource_spans: [{ resource: { attributes: [stringAttr('service.name', 'snake')] }, scope_spans: [{ spans: [{ trace_id: TRACE_ID, span_id: '1111111111111111', events: [exceptionEvent()] }] }] }] };
    expect(tracesToReports(body, 0).reports[0]).toMatchObject({ service: { name: 'snake' }, trace: { traceId: TRACE_ID } });
  });

  it('finds nothing in bodies of the wrong shape', () => {
    for (const body of [null, [], 'x', { resourceSpans: 'x' }, { resourceSpans: [{ scopeSpans: [{ spans: [null, 1] }] }] }]) {
      expect(tracesToReports(body, 0).reports).toEqual([]);
    }
  });
});
