import { createRequire } from 'node:module';
import type * as OtelApiModule from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import type { GroupInstrumentation } from '../capture/instrumentation.js';
import { SDK_NAME, SDK_VERSION } from '../report/origin.js';
import type { Trace } from '../report/schema.js';
import { safeString } from '../report/truncate.js';

type OtelApi = typeof OtelApiModule;

// `@opentelemetry/api` is an optional peer dependency: loaded on first use, absent is fine. Every copy of
// the API (ESM or CommonJS) shares one global registry, so the CommonJS copy loaded here sees the
// application's tracer provider and context manager.
let api: OtelApi | null | undefined;

/** The OpenTelemetry API if the application has it installed, else null. */
export function otelApi(): OtelApi | null {
  if (api === undefined) {
    try {
      api = createRequire(import.meta.url)('@opentelemetry/api') as OtelApi;
    } catch {
      api = null;
    }
  }
  return api;
}

// The same failure may reach the span twice (the task span's end and the capture made inside the task).
const recorded = new WeakMap<Span, WeakSet<object>>();

function recordError(otel: OtelApi, span: Span, error: unknown): void {
  if (error !== null && typeof error === 'object') {
    let errors = recorded.get(span);
    if (errors === undefined) recorded.set(span, (errors = new WeakSet()));
    if (errors.has(error)) return;
    errors.add(error);
  }
  try {
    span.recordException(error instanceof Error ? error : safeString(error));
    span.setStatus({ code: otel.SpanStatusCode.ERROR, message: error instanceof Error ? error.message : safeString(error) });
  } catch {
    // A broken span implementation must not break the capture.
  }
}

/**
 * The trace and span ids of the span active here, if any; the failure is recorded on that span
 * (`recordException` and status ERROR).
 */
export function traceOfActiveSpan(error: unknown): Trace | undefined {
  const otel = otelApi();
  if (otel === null) return undefined;
  try {
    const span = otel.trace.getActiveSpan();
    if (span === undefined) return undefined;
    const ctx = span.spanContext();
    if (!otel.isSpanContextValid(ctx)) return undefined;
    recordError(otel, span, error);
    return { traceId: ctx.traceId, spanId: ctx.spanId };
  } catch {
    return undefined;
  }
}

/** `{ trace }` with the span's ids when they are valid, else nothing. */
function spanTrace(otel: OtelApi, span: Span): { trace?: Trace } {
  try {
    const ctx = span.spanContext();
    return otel.isSpanContextValid(ctx) ? { trace: { traceId: ctx.traceId, spanId: ctx.spanId } } : {};
  } catch {
    return {};
  }
}

/**
 * Group instrumentation that makes a span of each group (named after it) and of each task (`group/task`),
 * the task's span a child of the span active where `go` was called, and the task's code run with it active.
 * Failures are recorded on the spans. Returns undefined without `@opentelemetry/api`.
 */
export function otelInstrumentation(): GroupInstrumentation | undefined {
  const otel = otelApi();
  if (otel === null) return undefined;
  const tracer = otel.trace.getTracer(SDK_NAME, SDK_VERSION);
  const end = (span: Span, error: unknown): void => {
    try {
      if (error !== undefined && error !== null) recordError(otel, span, error);
      span.end();
    } catch {
      // As above: never into the group's code.
    }
  };
  return {
    groupStart(info) {
      try {
        return tracer.startSpan(info.name, {
          attributes: { 'faultline.group.kind': info.kind, 'faultline.group.name': info.name },
        });
      } catch {
        return undefined;
      }
    },
    groupEnd(handle, error) {
      if (handle !== undefined) end(handle as Span, error);
    },
    runTask(info, run) {
      let parent: ReturnType<typeof otel.context.active>;
      let span: Span;
      try {
        parent = otel.context.active();
        span = tracer.startSpan(
          `${info.name}/${info.task}`,
          {
            attributes: {
              'faultline.group.kind': info.kind,
              'faultline.group.name': info.name,
              'faultline.task.name': info.task,
            },
          },
          parent,
        );
      } catch {
        // Tracing broke; the task runs all the same.
        return { result: run(), end: () => undefined };
      }
      let result: ReturnType<typeof run>;
      try {
        result = otel.context.with(otel.trace.setSpan(parent, span), run);
      } catch (error) {
        // A synchronous throw is the task's failure: the group sees it, and nobody will call `end`.
        end(span, error);
        throw error;
      }
      return { result, end: (error: unknown) => end(span, error), ...spanTrace(otel, span) };
    },
  };
}
