import type { Level } from '@faultline/sdk/schema';
import { record, toLevel } from '../report-fields.js';
import { exceptionReport } from './exception-report.js';
import { anyValue, attributes, list, otlpId, pick, unixNano } from './otlp-values.js';
import type { OtlpReports } from './traces-to-reports.js';

/** OTLP severity numbers (1-24: TRACE, DEBUG, INFO, WARN, ERROR, FATAL, four each) as report levels. */
export function severityLevel(severityNumber: unknown, severityText: unknown): Level {
  // Enums are integers in OTLP JSON; some senders write their names (`SEVERITY_NUMBER_ERROR2`).
  if (typeof severityNumber === 'string' && severityNumber.startsWith('SEVERITY_NUMBER_')) {
    return toLevel(severityNumber.slice(16).replace(/\d+$/, ''), toLevel(severityText, 'error'));
  }
  const n = typeof severityNumber === 'number' ? severityNumber : Number.NaN;
  if (n >= 21) return 'fatal';
  if (n >= 17) return 'error';
  if (n >= 13) return 'warning';
  if (n >= 1) return 'info';
  // Unspecified: the text, else error (the record carries an exception).
  return toLevel(severityText, 'error');
}

/**
 * The reports of an `ExportLogsServiceRequest` (JSON shape): one per log record with `exception.type` or
 * `exception.message`, its level from the severity, its body as the message when `exception.message` is absent.
 * Other records add nothing.
 */
export function logsToReports(request: unknown, receivedAt: number): OtlpReports {
  const out: OtlpReports = { reports: [], owners: [], items: 0 };
  for (const resourceLogs of list(record(request), 'resourceLogs', 'resource_logs')) {
    const resource = attributes(pick(record(resourceLogs.resource), 'attributes', 'attributes'));
    for (const scopeLogs of list(resourceLogs, 'scopeLogs', 'scope_logs')) {
      const scope = record(scopeLogs.scope)?.name;
      for (const logRecord of list(scopeLogs, 'logRecords', 'log_records')) {
        const index = out.items++;
        const attrs = attributes(logRecord.attributes);
        if (!attrs.has('exception.type') && !attrs.has('exception.message')) continue;
        const body = anyValue(logRecord.body);
        const eventName = pick(logRecord, 'eventName', 'event_name');
        const escaped = attrs.get('exception.escaped');
        const report = exceptionReport(
          {
            attributes: attrs,
            resource,
            timeUnixNano: unixNano(pick(logRecord, 'timeUnixNano', 'time_unix_nano')) ?? unixNano(pick(logRecord, 'observedTimeUnixNano', 'observed_time_unix_nano')),
            traceId: otlpId(pick(logRecord, 'traceId', 'trace_id'), 16),
            spanId: otlpId(pick(logRecord, 'spanId', 'span_id'), 8),
            level: severityLevel(pick(logRecord, 'severityNumber', 'severity_number'), pick(logRecord, 'severityText', 'severity_text')),
            handled: escaped !== true && escaped !== 'true' && attrs.get('faultline.handled') !== false,
            tagAttributes: attrs,
            extra: {
              scope: typeof scope === 'string' ? scope : undefined,
              eventName: typeof eventName === 'string' && eventName !== '' ? eventName : undefined,
              body: typeof body === 'string' ? undefined : body,
            },
            fallbackMessage: typeof body === 'string' ? body : undefined,
          },
          receivedAt,
        );
        if (report === undefined) continue;
        out.reports.push(report);
        out.owners.push(index);
      }
    }
  }
  return out;
}
