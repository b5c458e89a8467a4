import { ROOT_CONTEXT, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OTLPLogProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPTraceProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, type LogRecordExporter, type LogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCollector } from '../../../src/start-collector.js';
import { startSecuredCollector, type SecuredCollector } from '../secured-collector.js';

const KEY = 'otlp-ingest-key';
let secured: SecuredCollector;
let collector: RunningCollector;

const resourceOf = (service: string) =>
  resourceFromAttributes({
  'service.name': service,
  'service.version': '4.2.0',
  'deployment.environment.name': 'production',
  'host.name': 'inv-3',
  });

function send<T>(exporter: { export(items: T[], done: (result: ExportResult) => void): void }, items: T[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(items, resolve));
}

const api = (path: string) => secured.api(path);

/** The events of the one issue of `service` (each case exports as its own service, so issues never merge across cases). */
async function eventsOf(service: string) {
  const { issues } = await api(`/api/issues?service=${encodeURIComponent(service)}`);
  expect(issues, `the issues of ${service}`).toHaveLength(1);
  return (await api(`/api/issues/${issues[0].id}/events`)).events;
}

/** Spans recorded in memory, to be exported by the exporter under test (and again, as its retry would). */
function recordFailingSpan(message: string, service: string): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceOf(service), spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('orders-worker');
  tracer.startActiveSpan('reserve stock', (span) => {
    span.setAttribute('order.id', 1234);
    try {
      throw new RangeError(message);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    tracer.startSpan('healthy child').end();
    span.end();
  });
  return memory.getFinishedSpans();
}

function recordLogs(message: string, service: string): ReadableLogRecord[] {
  const records: ReadableLogRecord[] = [];
  // Collects the records as emitted, for the exporter under test to export.
  const collect: LogRecordProcessor = {
    onEmit: (record) => void records.push(record),
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const provider = new LoggerProvider({ resource: resourceOf(service), processors: [collect] });
  const logger = provider.getLogger('payments');
  const context = trace.setSpanContext(ROOT_CONTEXT, { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED });
  const error = new TypeError(message);
  logger.emit({
    context,
    severityNumber: SeverityNumber.FATAL,
    severityText: 'FATAL',
    body: 'charge failed',
    attributes: { 'exception.type': error.name, 'exception.message': error.message, 'exception.stacktrace': error.stack, 'payment.provider': 'acme' },
  });
  logger.emit({ severityNumber: SeverityNumber.INFO, body: 'charge retried' });
  expect(records).toHaveLength(2);
  return records;
}

// The real OpenTelemetry JS exporters (0.223, matching sdk-trace-base 2.12), JSON and protobuf, against a collector on a random port.
describe('OpenTelemetry OTLP/HTTP exporters against the collector', () => {
  beforeAll(async () => {
    secured = await startSecuredCollector(KEY);
    collector = secured.collector;
  });

  afterAll(async () => {
    await secured?.close();
  });

  const headers = () => ({ authorization: `Bearer ${KEY}` });
  const traceExporters: [string, () => SpanExporter][] = [
    ['exporter-trace-otlp-http (JSON)', () => new OTLPTraceExporter({ url: `${collector.url}/v1/traces`, headers: headers() })],
    ['exporter-trace-otlp-proto (protobuf)', () => new OTLPTraceProtoExporter({ url: `${collector.url}/v1/traces`, headers: headers() })],
  ];
  const logExporters: [string, () => LogRecordExporter][] = [
    ['exporter-logs-otlp-http (JSON)', () => new OTLPLogExporter({ url: `${collector.url}/v1/logs`, headers: headers() })],
    ['exporter-logs-otlp-proto (protobuf)', () => new OTLPLogProtoExporter({ url: `${collector.url}/v1/logs`, headers: headers() })],
  ];

  it.each(traceExporters)('turns a span event named exception from %s into a report with the trace ids and resource mapped', async (name, make) => {
    const spans = recordFailingSpan('stock below zero', name);
    const exporter = make();
    expect((await send(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    const [event] = await eventsOf(name);
    const failing = spans.find((s) => s.name === 'reserve stock')!;
    expect(event).toMatchObject({
      mechanism: 'otlp',
      level: 'error',
      handled: true,
      type: 'RangeError',
      message: 'stock below zero',
      service: { name, version: '4.2.0', environment: 'production' },
      trace: { traceId: failing.spanContext().traceId, spanId: failing.spanContext().spanId },
      context: { tags: { 'order.id': '1234' } },
    });
    expect(event.runtime.hostname).toBe('inv-3');
    expect(event.frames.find((f: { function: string }) => f.function === 'recordFailingSpan')).toMatchObject({ inApp: true, file: expect.stringMatching(/otlp-exporters\.test\.ts$/) });
    expect(event.stack).toContain('RangeError: stock below zero');
  });

  it.each(logExporters)('turns a log record with exception attributes from %s into a report, level from severity', async (name, make) => {
    const records = recordLogs('card declined', name);
    const exporter = make();
    expect((await send(exporter, records)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    const [event] = await eventsOf(name);
    expect(event).toMatchObject({
      mechanism: 'otlp',
      level: 'fatal',
      type: 'TypeError',
      message: 'card declined',
      service: { name, environment: 'production' },
      trace: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' },
      context: { tags: { 'payment.provider': 'acme' } },
    });
    expect(event.frames[0]).toMatchObject({ function: 'recordLogs', inApp: true });
  });

  it('ingests a retried export once (the report id derives from trace, span, time and type)', async () => {
    const spans = recordFailingSpan('retried export', 'retrying');
    const exporter = new OTLPTraceExporter({ url: `${collector.url}/v1/traces`, headers: headers() });
    await send(exporter, spans);
    await send(exporter, spans);
    await exporter.shutdown();
    expect(await eventsOf('retrying')).toHaveLength(1);
  });

  it('accepts and drops spans and log records without exceptions', async () => {
    const before = (await api('/api/issues?limit=100')).issues.length;
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ resource: resourceOf('healthy'), spanProcessors: [new SimpleSpanProcessor(memory)] });
    provider.getTracer('t').startSpan('fine').end();
    const traces = new OTLPTraceExporter({ url: `${collector.url}/v1/traces`, headers: headers() });
    expect((await send(traces, memory.getFinishedSpans())).code).toBe(ExportResultCode.SUCCESS);
    await traces.shutdown();
    const logs = new OTLPLogExporter({ url: `${collector.url}/v1/logs`, headers: headers() });
    // The second record of recordLogs has no exception attributes.
    expect((await send(logs, recordLogs('unused', 'healthy').slice(1))).code).toBe(ExportResultCode.SUCCESS);
    await logs.shutdown();
    expect((await api('/api/issues?limit=100')).issues.length).toBe(before);
  });

  it('fails the export of an exporter without the ingest key (401)', async () => {
    const exporter = new OTLPTraceExporter({ url: `${collector.url}/v1/traces` });
    const result = await send(exporter, recordFailingSpan('no key', 'keyless'));
    await exporter.shutdown();
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(String(result.error)).toMatch(/401|Unauthorized/i);
  });
});
