import type { Frame, Level, Report } from '../report/schema.js';

/** OTLP `AnyValue` / `KeyValue` in the JSON encoding. */
type AnyValue = { stringValue: string } | { boolValue: boolean } | { intValue: string } | { arrayValue: { values: AnyValue[] } };
interface KeyValue {
  key: string;
  value: AnyValue;
}

// Severity numbers of the OTLP log data model (FATAL, ERROR, WARN, INFO: the first of each range).
const SEVERITY: Record<Level, { number: number; text: string }> = {
  fatal: { number: 21, text: 'FATAL' },
  error: { number: 17, text: 'ERROR' },
  warning: { number: 13, text: 'WARN' },
  info: { number: 9, text: 'INFO' },
};

const str = (key: string, value: string): KeyValue => ({ key, value: { stringValue: value } });

/** A V8-style stack from the report's frames, for reports that carry none (the semantic conventions want a string). */
function stackOf(report: Report): string | undefined {
  if (report.stack !== undefined) return report.stack;
  if (report.frames.length === 0) return undefined;
  const header = report.message === '' ? report.type : `${report.type}: ${report.message}`;
  return [header, ...report.frames.map(frameLine)].join('\n');
}

function frameLine(f: Frame): string {
  const where = f.line === undefined ? f.file : `${f.file}:${f.line}${f.column === undefined ? '' : `:${f.column}`}`;
  return `    at ${f.async === true ? 'async ' : ''}${f.function} (${where})`;
}

function resourceAttributes(report: Report): KeyValue[] {
  const out = [str('service.name', report.service.name)];
  if (report.service.version !== undefined) out.push(str('service.version', report.service.version));
  if (report.service.environment !== undefined) out.push(str('deployment.environment.name', report.service.environment));
  out.push(str('telemetry.sdk.name', report.sdk.name), str('telemetry.sdk.version', report.sdk.version), str('telemetry.sdk.language', 'nodejs'));
  const r = report.runtime;
  out.push(str('process.runtime.name', r.name === 'node' ? 'nodejs' : r.name));
  if (r.version !== undefined) out.push(str('process.runtime.version', r.version));
  if (r.hostname !== undefined) out.push(str('host.name', r.hostname));
  if (r.arch !== undefined) out.push(str('host.arch', r.arch));
  if (r.platform !== undefined) out.push(str('os.type', r.platform));
  if (r.pid !== undefined) out.push({ key: 'process.pid', value: { intValue: String(r.pid) } });
  return out;
}

/**
 * One report as an OTLP log record (JSON encoding) following the semantic conventions for exceptions in logs:
 * `exception.type`, `exception.message`, `exception.stacktrace`; the report's tags as attributes; severity from
 * the level; the trace and span ids; and `faultline.report_id`, so a faultline collector receiving the report both
 * ways stores it once.
 */
export function logRecordOf(report: Report): Record<string, unknown> {
  const time = (BigInt(Date.parse(report.timestamp)) * 1_000_000n).toString();
  const attributes: KeyValue[] = [str('exception.type', report.type), str('exception.message', report.message)];
  const stack = stackOf(report);
  if (stack !== undefined) attributes.push(str('exception.stacktrace', stack));
  attributes.push(str('faultline.report_id', report.id), str('faultline.mechanism', report.mechanism), { key: 'faultline.handled', value: { boolValue: report.handled } });
  if (report.code !== undefined) attributes.push(str('faultline.error_code', report.code));
  if (report.fingerprint !== undefined) {
    attributes.push({ key: 'faultline.fingerprint', value: { arrayValue: { values: report.fingerprint.map((p) => ({ stringValue: p })) } } });
  }
  for (const [key, value] of Object.entries(report.context.tags)) {
    if (!key.startsWith('exception.') && !key.startsWith('faultline.')) attributes.push(str(key, value));
  }
  const severity = SEVERITY[report.level];
  const record: Record<string, unknown> = {
    timeUnixNano: time,
    observedTimeUnixNano: time,
    severityNumber: severity.number,
    severityText: severity.text,
    body: { stringValue: report.message },
    attributes,
  };
  if (report.trace !== undefined) {
    record.traceId = report.trace.traceId;
    record.spanId = report.trace.spanId;
  }
  return record;
}

/**
 * An `ExportLogsServiceRequest` (OTLP/HTTP JSON) of a batch of reports: one `resourceLogs` per distinct resource
 * (service, version, environment, runtime), in the order the reports came.
 */
export function otlpLogsBody(reports: readonly Report[]): string {
  const byResource = new Map<string, { attributes: KeyValue[]; records: Record<string, unknown>[]; scope: { name: string; version: string } }>();
  for (const report of reports) {
    const attributes = resourceAttributes(report);
    const key = JSON.stringify(attributes);
    let entry = byResource.get(key);
    if (entry === undefined) {
      entry = { attributes, records: [], scope: { name: report.sdk.name, version: report.sdk.version } };
      byResource.set(key, entry);
    }
    entry.records.push(logRecordOf(report));
  }
  return JSON.stringify({
    resourceLogs: [...byResource.values()].map((r) => ({ resource: { attributes: r.attributes }, scopeLogs: [{ scope: r.scope, logRecords: r.records }] })),
  });
}

/**
 * The log records an OTLP answer says were rejected (`partialSuccess.rejectedLogRecords`). OTLP does not say which
 * ones, so the count is taken from the end of the batch: what matters is how many are counted as dropped.
 */
export function otlpRejected(answer: string, count: number): { index: number; error: string }[] {
  if (answer === '') return [];
  let partial: { rejectedLogRecords?: unknown; errorMessage?: unknown } | undefined;
  try {
    partial = (JSON.parse(answer) as { partialSuccess?: typeof partial }).partialSuccess;
  } catch {
    return [];
  }
  const rejected = Math.min(count, Number(partial?.rejectedLogRecords ?? 0));
  if (!(rejected > 0)) return [];
  const error = typeof partial?.errorMessage === 'string' ? partial.errorMessage : 'rejected by the OTLP endpoint';
  return Array.from({ length: rejected }, (_, i) => ({ index: count - rejected + i, error }));
}
