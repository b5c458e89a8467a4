import { createHash } from 'node:crypto';
import { LIMITS, type Level, type Report } from '@faultline/sdk/schema';
import { parseForeignStack, truncate } from '@faultline/sdk/interop';
import { boundTags, makeContext, text } from '../report-fields.js';
import type { AttributeValue } from './otlp-values.js';
import { nanoToMs, stringAttribute } from './otlp-values.js';

/** An exception found in OTLP data (a span event named `exception`, or a log record with `exception.*` attributes). */
export interface OtlpException {
  /** The attributes holding `exception.type`, `exception.message`, `exception.stacktrace`. */
  attributes: ReadonlyMap<string, AttributeValue>;
  resource: ReadonlyMap<string, AttributeValue>;
  /** Unix nanoseconds of the event (decimal string); absent: the receive time. */
  timeUnixNano: string | undefined;
  traceId: string | undefined;
  spanId: string | undefined;
  level: Level;
  handled: boolean;
  /** Attributes that become tags (the span's or the log record's own). */
  tagAttributes: ReadonlyMap<string, AttributeValue>;
  /** What else is worth keeping (span name, scope, log body...). */
  extra: Record<string, unknown>;
  /** Used as the message when `exception.message` is absent (a log record's body). */
  fallbackMessage?: string;
}

const FIELD = LIMITS.serviceFieldChars;
/** OpenTelemetry's own name for a resource without `service.name`. */
export const UNKNOWN_SERVICE = 'unknown_service';
// Resource attributes that have a place of their own in the report.
const MAPPED_RESOURCE = new Set([
  'service.name',
  'service.version',
  'deployment.environment',
  'deployment.environment.name',
  'process.runtime.name',
  'process.runtime.version',
  'process.pid',
  'host.name',
  'host.arch',
  'os.type',
]);

/**
 * A report id derived from what identifies the exception (trace, span, time, type, message): an exporter that
 * retries a batch sends the same exceptions again, and they are ingested once. Records that carry
 * `faultline.report_id` keep that id instead.
 */
export function otlpReportId(parts: readonly (string | undefined)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part ?? '').update('\u0000');
  return hash.digest('hex').slice(0, 32);
}

/** Set by the faultline SDK's OTLP export: the report's own id, so a report sent both natively and as OTLP is stored once. */
export const REPORT_ID_ATTRIBUTE = 'faultline.report_id';
const REPORT_ID = /^[0-9a-f]{32}$/;

function tagEntries(attrs: ReadonlyMap<string, AttributeValue>): [string, AttributeValue][] {
  return [...attrs].filter(([key]) => !key.startsWith('exception.') && key !== REPORT_ID_ATTRIBUTE);
}

/**
 * The report for an OTLP exception, or undefined when it has neither `exception.type` nor `exception.message` (the
 * semantic conventions require one of them).
 */
export function exceptionReport(e: OtlpException, receivedAt: number): Report | undefined {
  const type = stringAttribute(e.attributes, 'exception.type');
  const message = stringAttribute(e.attributes, 'exception.message');
  if (type === undefined && message === undefined) return undefined;
  const stacktrace = stringAttribute(e.attributes, 'exception.stacktrace');
  const reportId = stringAttribute(e.attributes, REPORT_ID_ATTRIBUTE);
  const ownId = reportId !== undefined && REPORT_ID.test(reportId) ? reportId : undefined;
  const r = e.resource;
  const pid = r.get('process.pid');
  const timeMs = e.timeUnixNano === undefined ? receivedAt : nanoToMs(e.timeUnixNano);
  const resourceRest = Object.fromEntries([...r].filter(([key]) => !MAPPED_RESOURCE.has(key) && !key.startsWith('telemetry.sdk.')));
  const extra = Object.keys(resourceRest).length > 0 ? { ...e.extra, resource: resourceRest } : e.extra;
  const report: Report = {
    schema: 1,
    id: ownId ?? otlpReportId([e.traceId, e.spanId, e.timeUnixNano, type, message]),
    timestamp: new Date(Number.isFinite(timeMs) && timeMs < 253_402_300_800_000 ? timeMs : receivedAt).toISOString(),
    level: e.level,
    message: truncate(message ?? e.fallbackMessage ?? '', LIMITS.messageChars),
    type: truncate(type ?? 'Error', LIMITS.typeChars),
    frames: stacktrace === undefined ? [] : parseForeignStack(stacktrace),
    handled: e.handled,
    mechanism: 'otlp',
    context: makeContext(boundTags(tagEntries(e.tagAttributes)), { extra }),
    service: { name: text(stringAttribute(r, 'service.name'), FIELD) ?? UNKNOWN_SERVICE },
    runtime: { name: text(stringAttribute(r, 'process.runtime.name'), FIELD) ?? text(stringAttribute(r, 'telemetry.sdk.language'), FIELD) ?? 'unknown' },
    sdk: {
      name: text(stringAttribute(r, 'telemetry.sdk.name'), FIELD) ?? 'opentelemetry',
      version: text(stringAttribute(r, 'telemetry.sdk.version'), FIELD) ?? 'unknown',
    },
  };
  if (stacktrace !== undefined) report.stack = truncate(stacktrace, LIMITS.stackChars);
  const version = text(stringAttribute(r, 'service.version'), FIELD);
  const environment = text(stringAttribute(r, 'deployment.environment.name') ?? stringAttribute(r, 'deployment.environment'), FIELD);
  if (version !== undefined) report.service.version = version;
  if (environment !== undefined) report.service.environment = environment;
  const runtimeVersion = text(stringAttribute(r, 'process.runtime.version'), FIELD);
  const hostname = text(stringAttribute(r, 'host.name'), FIELD);
  const arch = text(stringAttribute(r, 'host.arch'), FIELD);
  const platform = text(stringAttribute(r, 'os.type'), FIELD);
  if (runtimeVersion !== undefined) report.runtime.version = runtimeVersion;
  if (platform !== undefined) report.runtime.platform = platform;
  if (arch !== undefined) report.runtime.arch = arch;
  if (hostname !== undefined) report.runtime.hostname = hostname;
  if (typeof pid === 'number' && Number.isSafeInteger(pid) && pid >= 0) report.runtime.pid = pid;
  if (e.traceId !== undefined && e.spanId !== undefined) report.trace = { traceId: e.traceId, spanId: e.spanId };
  return report;
}
