import type { Report } from '@faultline/sdk/schema';
import { record } from '../report-fields.js';
import { exceptionReport } from './exception-report.js';
import { attributes, list, otlpId, pick, unixNano } from './otlp-values.js';

/** Reports found in an OTLP request, each with the index of the span or log record it came from. */
export interface OtlpReports {
  reports: Report[];
  /** `owners[i]`: the item (span or log record, counted across the request) report `i` came from. */
  owners: number[];
  /** Spans or log records in the request. */
  items: number;
}

/**
 * The reports of an `ExportTraceServiceRequest` (JSON shape): one per span event named `exception`, with the span's
 * trace and span ids and attributes (as tags) and the resource's service. Spans without one add nothing.
 */
export function tracesToReports(request: unknown, receivedAt: number): OtlpReports {
  const out: OtlpReports = { reports: [], owners: [], items: 0 };
  for (const resourceSpans of list(record(request), 'resourceSpans', 'resource_spans')) {
    const resource = attributes(pick(record(resourceSpans.resource), 'attributes', 'attributes'));
    for (const scopeSpans of list(resourceSpans, 'scopeSpans', 'scope_spans')) {
      const scope = record(scopeSpans.scope)?.name;
      for (const span of list(scopeSpans, 'spans')) {
        const index = out.items++;
        const events = list(span, 'events').filter((event) => event.name === 'exception');
        if (events.length === 0) continue;
        const spanAttributes = attributes(span.attributes);
        const traceId = otlpId(pick(span, 'traceId', 'trace_id'), 16);
        const spanId = otlpId(pick(span, 'spanId', 'span_id'), 8);
        for (const event of events) {
          const eventAttributes = attributes(event.attributes);
          const escaped = eventAttributes.get('exception.escaped');
          const report = exceptionReport(
            {
              attributes: eventAttributes,
              resource,
              timeUnixNano: unixNano(pick(event, 'timeUnixNano', 'time_unix_nano')) ?? unixNano(pick(span, 'startTimeUnixNano', 'start_time_unix_nano')),
              traceId,
              spanId,
              level: 'error',
              handled: escaped !== true && escaped !== 'true',
              tagAttributes: spanAttributes,
              extra: { span: typeof span.name === 'string' ? span.name : undefined, scope: typeof scope === 'string' ? scope : undefined },
            },
            receivedAt,
          );
          if (report === undefined) continue;
          out.reports.push(report);
          out.owners.push(index);
        }
      }
    }
  }
  return out;
}
