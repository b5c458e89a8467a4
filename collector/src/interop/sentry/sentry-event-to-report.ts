import { createHash } from 'node:crypto';
import { LIMITS, type Report, type Trace } from '@faultline/sdk/schema';
import { newReportId, truncate } from '@faultline/sdk/interop';
import { boundFingerprint, boundTags, makeContext, record, text, toLevel, toRfc3339 } from '../report-fields.js';
import { sentryError } from './sentry-exceptions.js';
import { sentryFrames } from './sentry-frames.js';

export interface SentryConversion {
  /** The service the DSN's project maps to. */
  service: string;
  /** When the event arrived (ms): its timestamp when it has none. */
  receivedAt: number;
  /** The envelope header's `event_id`, used when the event has none. */
  envelopeEventId?: unknown;
}

const HEX_ID = /^[0-9a-f]{32}$/;
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const FIELD = LIMITS.serviceFieldChars;

/** Sentry's uuid (`event_id`, dashes or not, any case) as a report id; other strings hashed to one, so retries still dedupe. */
export function reportIdOf(eventId: unknown): string | undefined {
  if (typeof eventId !== 'string' || eventId === '') return undefined;
  const hex = eventId.replace(/-/g, '').toLowerCase();
  return HEX_ID.test(hex) ? hex : createHash('sha256').update(eventId).digest('hex').slice(0, 32);
}

function messageOf(event: Record<string, unknown>): string {
  for (const candidate of [event.logentry, event.message]) {
    if (typeof candidate === 'string') return candidate;
    const m = record(candidate);
    if (typeof m?.formatted === 'string' && m.formatted !== '') return m.formatted;
    if (typeof m?.message === 'string') return m.message;
  }
  return '';
}

/** The stack of a message event (`attachStacktrace`): the event's own, or that of its crashed/current/first thread. */
function messageStacktrace(event: Record<string, unknown>): unknown {
  if (event.stacktrace !== undefined) return event.stacktrace;
  const threads = record(event.threads)?.values;
  if (!Array.isArray(threads)) return undefined;
  const all = threads.map(record).filter((t): t is Record<string, unknown> => t?.stacktrace !== undefined);
  return (all.find((t) => t.crashed === true) ?? all.find((t) => t.current === true) ?? all[0])?.stacktrace;
}

function traceOf(contexts: Record<string, unknown> | undefined): Trace | undefined {
  const trace = record(contexts?.trace);
  const traceId = typeof trace?.trace_id === 'string' ? trace.trace_id.replace(/-/g, '').toLowerCase() : '';
  const spanId = typeof trace?.span_id === 'string' ? trace.span_id.toLowerCase() : '';
  return TRACE_ID.test(traceId) && SPAN_ID.test(spanId) ? { traceId, spanId } : undefined;
}

function tagEntries(tags: unknown): Iterable<readonly [string, unknown]> {
  // Sentry accepts tags as an object or as a list of [key, value] pairs.
  if (Array.isArray(tags)) return tags.filter((t): t is [string, unknown] => Array.isArray(t) && typeof t[0] === 'string').map((t) => [t[0], t[1]] as const);
  return Object.entries(record(tags) ?? {});
}

/** `extra` plus the event's `contexts` other than `trace` (what `Sentry.setContext` set, and os, device, app, ...). */
function extraOf(event: Record<string, unknown>, contexts: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const extra = { ...record(event.extra) };
  const rest = { ...contexts };
  delete rest.trace;
  if (Object.keys(rest).length > 0 && !Object.hasOwn(extra, 'contexts')) extra.contexts = rest;
  return Object.keys(extra).length > 0 ? extra : undefined;
}

/**
 * A Sentry event (the payload of an envelope's `event` item, or of `/store/`) as a faultline report (schema 1,
 * mechanism `sentry`). Every string is cut to its limit rather than refused; fields that do not fit the report
 * (breadcrumbs, threads, modules, debug_meta) are left out. See the collector README, "Sentry protocol".
 */
export function sentryEventToReport(event: Record<string, unknown>, options: SentryConversion): Report {
  const contexts = record(event.contexts);
  const error = sentryError(event.exception);
  const runtime = record(contexts?.runtime);
  const sdk = record(event.sdk);
  const report: Report = {
    schema: 1,
    id: reportIdOf(event.event_id) ?? reportIdOf(options.envelopeEventId) ?? newReportId(),
    timestamp: toRfc3339(event.timestamp, options.receivedAt),
    level: toLevel(event.level, 'error'),
    message: error?.message ?? truncate(messageOf(event), LIMITS.messageChars),
    // A message event has no type; its title is its message.
    type: error?.type ?? '',
    frames: error?.frames ?? sentryFrames(messageStacktrace(event)),
    handled: error?.handled ?? true,
    mechanism: 'sentry',
    context: makeContext(boundTags(tagEntries(event.tags)), { user: event.user, request: event.request, extra: extraOf(event, contexts) }),
    service: { name: truncate(options.service, FIELD) },
    runtime: { name: text(runtime?.name, FIELD) ?? text(event.platform, FIELD) ?? 'unknown' },
    sdk: { name: text(sdk?.name, FIELD) ?? 'sentry', version: text(sdk?.version, FIELD) ?? 'unknown' },
  };
  if (error?.causes !== undefined) report.causes = error.causes;
  if (error?.errors !== undefined) report.errors = error.errors;
  const release = text(event.release, FIELD);
  const environment = text(event.environment, FIELD);
  if (release !== undefined) report.service.version = release;
  if (environment !== undefined) report.service.environment = environment;
  const runtimeVersion = text(runtime?.version, FIELD);
  const hostname = text(event.server_name, FIELD);
  const arch = text(record(contexts?.device)?.arch, FIELD);
  if (runtimeVersion !== undefined) report.runtime.version = runtimeVersion;
  if (hostname !== undefined) report.runtime.hostname = hostname;
  if (arch !== undefined) report.runtime.arch = arch;
  const trace = traceOf(contexts);
  if (trace !== undefined) report.trace = trace;
  const fingerprint = boundFingerprint(event.fingerprint);
  if (fingerprint !== undefined) report.fingerprint = fingerprint;
  return report;
}
