import { context, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setGroupInstrumentation } from '../../src/capture/instrumentation.js';
import { setCaptureSink } from '../../src/capture/sink.js';
import { Client } from '../../src/client/client.js';
import { resolveOptions } from '../../src/client/options.js';
import { ErrGroup } from '../../src/group/err-group.js';
import { WaitGroup } from '../../src/group/wait-group.js';
import { otelInstrumentation, traceOfActiveSpan } from '../../src/integrations/otel.js';
import { fileURLToPath } from 'node:url';
import { runFixture } from '../client/run-fixture.js';
import { fastScheduler, LoopbackCollector } from '../transport/loopback-collector.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager();
const tracer = () => trace.getTracer('otel-test');

let collector: LoopbackCollector;
let client: Client;

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  trace.setGlobalTracerProvider(provider);
});

afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
});

beforeEach(async () => {
  exporter.reset();
  collector = await LoopbackCollector.start();
  client = new Client(resolveOptions({ endpoint: collector.url, service: 'otel-test', logger: { warn: () => undefined, debug: () => undefined } }), {
    scheduler: fastScheduler(1000),
  });
});

afterEach(async () => {
  setGroupInstrumentation(undefined);
  await client.close(500);
  await collector.close();
});

function span(name: string): ReadableSpan {
  const found = exporter.getFinishedSpans().find((s) => s.name === name);
  if (found === undefined) throw new Error(`no span ${name}; have ${exporter.getFinishedSpans().map((s) => s.name).join(', ')}`);
  return found;
}

function parentId(s: ReadableSpan): string | undefined {
  return s.parentSpanContext?.spanId;
}

describe('OpenTelemetry', () => {
  it('reports carry the trace and span ids of the active span', async () => {
    let ids: { traceId: string; spanId: string } | undefined;
    tracer().startActiveSpan('handle-order', (s: Span) => {
      ids = { traceId: s.spanContext().traceId, spanId: s.spanContext().spanId };
      client.captureException(new Error('inside a span'));
      s.end();
    });
    await client.flush(5000);
    expect(collector.acceptedReports[0]!.trace).toEqual(ids);
  });

  it('records the exception on the active span, with status ERROR', () => {
    tracer().startActiveSpan('charge', (s: Span) => {
      client.captureException(new TypeError('card declined'));
      s.end();
    });
    const charge = span('charge');
    expect(charge.status).toEqual({ code: SpanStatusCode.ERROR, message: 'card declined' });
    const events = charge.events.filter((e) => e.name === 'exception');
    expect(events).toHaveLength(1);
    expect(events[0]!.attributes).toMatchObject({ 'exception.type': 'TypeError', 'exception.message': 'card declined' });
  });

  it('reports carry no trace when no span is active', async () => {
    client.captureException(new Error('no span'));
    await client.flush(5000);
    expect(collector.acceptedReports[0]!.trace).toBeUndefined();
    expect(traceOfActiveSpan(new Error('x'))).toBeUndefined();
  });

  it('makes a span per group and per task; tasks are children of the span active where go was called', async () => {
    setGroupInstrumentation(otelInstrumentation());
    let seenInTask: string | undefined;
    await tracer().startActiveSpan('request', async (root: Span) => {
      const g = new ErrGroup({ name: 'checkout' });
      void g.go(
        () => {
          seenInTask = trace.getActiveSpan()?.spanContext().spanId;
        },
        { name: 'reserve' },
      );
      await tracer().startActiveSpan('inner', async (inner: Span) => {
        void g.go(async () => undefined, { name: 'charge' });
        inner.end();
      });
      await g.wait();
      root.end();
    });
    const request = span('request');
    const group = span('checkout');
    const reserve = span('checkout/reserve');
    const charge = span('checkout/charge');
    expect(parentId(group)).toBe(request.spanContext().spanId);
    expect(parentId(reserve)).toBe(request.spanContext().spanId);
    expect(parentId(charge)).toBe(span('inner').spanContext().spanId);
    expect(reserve.spanContext().traceId).toBe(request.spanContext().traceId);
    // The task's code ran with its own span active.
    expect(seenInTask).toBe(reserve.spanContext().spanId);
    expect(reserve.attributes).toMatchObject({ 'faultline.group.kind': 'errgroup', 'faultline.group.name': 'checkout', 'faultline.task.name': 'reserve' });
  });

  it('records a failed task and its group as ERROR spans', async () => {
    setGroupInstrumentation(otelInstrumentation());
    const g = new ErrGroup({ name: 'payment' });
    void g.go(
      () => {
        throw new Error('gateway down');
      },
      { name: 'authorize' },
    );
    await g.wait().catch(() => undefined);
    const task = span('payment/authorize');
    expect(task.status.code).toBe(SpanStatusCode.ERROR);
    expect(task.events.filter((e) => e.name === 'exception')).toHaveLength(1);
    expect(span('payment').status.code).toBe(SpanStatusCode.ERROR);
  });

  it('records a task that rejects later as an ERROR span', async () => {
    setGroupInstrumentation(otelInstrumentation());
    const g = new ErrGroup({ name: 'shipping' });
    void g.go(
      async () => {
        await Promise.resolve();
        throw new Error('carrier down');
      },
      { name: 'book' },
    );
    await g.wait().catch(() => undefined);
    const task = span('shipping/book');
    expect(task.status).toEqual({ code: SpanStatusCode.ERROR, message: 'carrier down' });
  });

  it('reports a traced task’s failure with the task’s span, recorded on the task’s and group’s spans and not on the caller’s', async () => {
    setGroupInstrumentation(otelInstrumentation());
    setCaptureSink((capture) => client.captureFailure(capture));
    try {
      await tracer().startActiveSpan('request', async (root: Span) => {
        const g = new ErrGroup({ name: 'checkout' });
        void g.go(
          async () => {
            await Promise.resolve();
            throw new Error('charge failed');
          },
          { name: 'charge' },
        );
        void g.go(
          () => {
            throw new Error('receipt failed');
          },
          { name: 'receipt', optional: true },
        );
        await g.wait().catch(() => undefined);
        root.end();
      });
    } finally {
      setCaptureSink(undefined);
    }
    await client.flush(5000);
    const spanOf = new Map(collector.acceptedReports.map((r) => [r.message, r.trace?.spanId]));
    expect(spanOf.get('charge failed')).toBe(span('checkout/charge').spanContext().spanId);
    expect(spanOf.get('receipt failed')).toBe(span('checkout/receipt').spanContext().spanId);
    const exceptions = (s: ReadableSpan) => s.events.filter((e) => e.name === 'exception').map((e) => e.attributes?.['exception.message']);
    expect(exceptions(span('checkout/charge'))).toEqual(['charge failed']);
    expect(exceptions(span('checkout/receipt'))).toEqual(['receipt failed']);
    expect(span('checkout').status).toEqual({ code: SpanStatusCode.ERROR, message: 'charge failed' });
    expect(exceptions(span('checkout'))).toEqual(['charge failed']);
    expect(span('request').status.code).toBe(SpanStatusCode.UNSET);
    expect(exceptions(span('request'))).toEqual([]);
  });

  it('reports a traced WaitGroup task’s failure with the task’s span, not the caller’s', async () => {
    setGroupInstrumentation(otelInstrumentation());
    setCaptureSink((capture) => client.captureFailure(capture));
    try {
      await tracer().startActiveSpan('request', async (root: Span) => {
        const wg = new WaitGroup({ name: 'fanout' });
        wg.go(
          () => {
            throw new Error('notify failed');
          },
          { name: 'notify' },
        );
        await wg.wait();
        root.end();
      });
    } finally {
      setCaptureSink(undefined);
    }
    await client.flush(5000);
    expect(collector.acceptedReports[0]!.trace?.spanId).toBe(span('fanout/notify').spanContext().spanId);
    expect(span('fanout/notify').status.code).toBe(SpanStatusCode.ERROR);
    expect(span('request').status.code).toBe(SpanStatusCode.UNSET);
  });

  it('traces WaitGroup tasks too', async () => {
    setGroupInstrumentation(otelInstrumentation());
    const wg = new WaitGroup({ name: 'fanout' });
    wg.go(async () => undefined, { name: 'notify' });
    await wg.wait();
    expect(span('fanout/notify').attributes['faultline.group.kind']).toBe('waitgroup');
  });

  it('records a failure once on a span, even when it arrives twice', () => {
    tracer().startActiveSpan('twice', (s: Span) => {
      const error = new Error('same failure');
      traceOfActiveSpan(error);
      traceOfActiveSpan(error);
      s.end();
    });
    expect(span('twice').events.filter((e) => e.name === 'exception')).toHaveLength(1);
  });

  it('works without @opentelemetry/api installed: no trace, and a warning when tracing was asked for', async () => {
    const fixtures = new URL('../fixtures/', import.meta.url);
    const out = await runFixture(fileURLToPath(new URL('without-otel.ts', fixtures)), { FAULTLINE_ENDPOINT: collector.url }, [
      '-r',
      fileURLToPath(new URL('hide-otel.cjs', fixtures)),
    ]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('flushed true');
    expect(out.stderr).toContain('tracing needs @opentelemetry/api');
    expect(collector.acceptedReports.map((r) => [r.message, r.trace])).toEqual([['no tracing here', undefined]]);
  });
});
