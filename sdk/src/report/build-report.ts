import type { ScopeData } from '../scope/scope-data.js';
import { buildContext } from './context.js';
import { describeValue, errorCode, errorType, isErrorLike, NON_ERROR_TYPE, safeGet } from './error-info.js';
import { LIMITS } from './limits.js';
import { aggregatedErrors, causeChain, stackHeader } from './linked-errors.js';
import type { ReportOrigin } from './origin.js';
import { newReportId } from './report-id.js';
import type { AsyncStackEntry, Frame, GroupFacts, Level, Mechanism, Report, Trace } from './schema.js';
import { makeFrame, parseStack } from './stack-frames.js';
import { safeString, truncate } from './truncate.js';

/** A spawn-chain link as the scope records it; frames get `inApp` and source maps here. */
export interface SpawnSite {
  readonly kind: 'errgroup' | 'waitgroup';
  readonly group: string;
  readonly task: string;
  readonly frames: readonly { readonly file: string; readonly function: string; readonly line?: number; readonly column?: number }[];
}

/** Everything a report is made from, besides who sends it. */
export interface ReportInput {
  /** What was thrown or passed: an Error, or any other value. */
  readonly error: unknown;
  readonly level: Level;
  readonly handled: boolean;
  readonly mechanism: Mechanism;
  readonly scope?: ScopeData;
  /** Tags given at capture time; they win over the scope's. */
  readonly tags?: Readonly<Record<string, unknown>>;
  readonly group?: GroupFacts;
  readonly asyncStack?: readonly SpawnSite[];
  readonly trace?: Trace;
  readonly fingerprint?: readonly unknown[];
  /** A stack for values that carry none (a thrown string): where the capture happened. */
  readonly syntheticStack?: string;
  /** Report id, when the caller made one already (it returns the id before the report exists). */
  readonly id?: string;
}

/**
 * Builds a schema-1 report. Every field is cut to its limit here; the whole-report size limit is applied when
 * the transport serializes it (`fitReport`). Never throws for any `error` value.
 */
export function buildReport(input: ReportInput, origin: ReportOrigin): Report {
  const { error } = input;
  const report: Report = {
    schema: 1,
    id: input.id ?? newReportId(),
    timestamp: new Date().toISOString(),
    level: input.level,
    message: '',
    type: NON_ERROR_TYPE,
    frames: [],
    handled: input.handled,
    mechanism: input.mechanism,
    context: buildContext(input.scope, input.tags),
    service: origin.service,
    runtime: origin.runtime,
    sdk: origin.sdk,
  };
  if (isErrorLike(error)) fillFromError(report, error);
  else {
    report.message = truncate(describeValue(error), LIMITS.messageChars);
    if (input.syntheticStack !== undefined) report.frames = parseStack(input.syntheticStack).slice();
  }
  if (input.asyncStack !== undefined && input.asyncStack.length > 0) report.asyncStack = asyncStack(input.asyncStack);
  if (input.group !== undefined) report.group = groupFacts(input.group);
  if (input.trace !== undefined) report.trace = { traceId: input.trace.traceId, spanId: input.trace.spanId };
  const fingerprint = input.fingerprint === undefined ? undefined : fingerprintOf(input.fingerprint);
  if (fingerprint !== undefined) report.fingerprint = fingerprint;
  return report;
}

function fillFromError(report: Report, error: object): void {
  const rawMessage = safeGet(error, 'message');
  const message = typeof rawMessage === 'string' ? rawMessage : describeValue(rawMessage ?? '');
  report.message = truncate(message, LIMITS.messageChars);
  report.type = truncate(errorType(error), LIMITS.typeChars);
  const code = errorCode(error);
  if (code !== undefined) report.code = truncate(code, LIMITS.codeChars);
  const stack = safeGet(error, 'stack');
  if (typeof stack === 'string') {
    report.stack = truncate(stack, LIMITS.stackChars);
    report.frames = parseStack(stack, stackHeader(error, message)).slice();
  }
  const causes = causeChain(error);
  if (causes !== undefined) report.causes = causes;
  const errors = aggregatedErrors(error);
  if (errors !== undefined) report.errors = errors;
}

function asyncStack(sites: readonly SpawnSite[]): AsyncStackEntry[] {
  const out: AsyncStackEntry[] = [];
  const n = Math.min(sites.length, LIMITS.asyncStackEntries);
  for (let i = 0; i < n; i++) {
    const site = sites[i]!;
    const frames: Frame[] = [];
    const m = Math.min(site.frames.length, LIMITS.framesPerSpawnSite);
    for (let j = 0; j < m; j++) {
      const f = site.frames[j]!;
      frames.push(makeFrame(safeString(f.file), safeString(f.function), positiveInt(f.line), positiveInt(f.column)));
    }
    out.push({
      kind: site.kind === 'waitgroup' ? 'waitgroup' : 'errgroup',
      group: truncate(safeString(site.group), LIMITS.groupNameChars),
      task: truncate(safeString(site.task), LIMITS.groupNameChars),
      frames,
    });
  }
  return out;
}

function groupFacts(g: GroupFacts): GroupFacts {
  return {
    kind: g.kind === 'waitgroup' ? 'waitgroup' : 'errgroup',
    name: truncate(safeString(g.name), LIMITS.groupNameChars),
    task: truncate(safeString(g.task), LIMITS.groupNameChars),
    failFast: g.failFast === true,
    optional: g.optional === true,
    started: count(g.started),
    failed: count(g.failed),
    canceled: count(g.canceled),
    elapsedMs: Number.isFinite(g.elapsedMs) && g.elapsedMs > 0 ? g.elapsedMs : 0,
  };
}

function fingerprintOf(parts: readonly unknown[]): string[] | undefined {
  const out: string[] = [];
  // As for aggregated errors: a Proxy may throw from any read; the parts read before that are kept.
  try {
    if (!Array.isArray(parts)) return undefined;
    for (let i = 0; i < parts.length && out.length < LIMITS.fingerprintParts; i++) {
      out.push(truncate(safeString(parts[i]), LIMITS.fingerprintPartChars));
    }
  } catch {
    // The rest is unreadable.
  }
  return out.length > 0 ? out : undefined;
}

function count(n: number): number {
  return Number.isInteger(n) && n > 0 ? n : 0;
}

function positiveInt(n: number | undefined): number | undefined {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}
