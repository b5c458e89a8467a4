/** OTLP/HTTP JSON request bodies for the tests, shaped as the OpenTelemetry JS exporters write them. */

export const TRACE_ID = '5b8efff798038103d269b633813fc60c';
export const SPAN_ID = 'eee19b7ec3c1b174';

export const stringAttr = (key: string, value: string) => ({ key, value: { stringValue: value } });

export const STACK = [
  'TypeError: Cannot read properties of undefined (reading "sku")',
  '    at priceOf (/srv/app/src/pricing.js:14:22)',
  '    at async Promise.all (index 0)',
  '    at async quote (/srv/app/src/quote.js:8:5)',
  '    at Layer.handle (/srv/app/node_modules/express/lib/router/layer.js:95:5)',
  '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
].join('\n');

export const RESOURCE = {
  attributes: [
    stringAttr('service.name', 'pricing'),
    stringAttr('service.version', '2.0.1'),
    stringAttr('deployment.environment', 'staging'),
    stringAttr('telemetry.sdk.name', 'opentelemetry'),
    stringAttr('telemetry.sdk.language', 'nodejs'),
    stringAttr('telemetry.sdk.version', '2.12.1'),
    stringAttr('cloud.region', 'eu-west-1'),
    { key: 'process.pid', value: { intValue: '4242' } },
  ],
};

export function exceptionEvent(type = 'TypeError', message = 'Cannot read properties of undefined (reading "sku")', time = '1796320403069000000') {
  return {
    timeUnixNano: time,
    name: 'exception',
    attributes: [stringAttr('exception.type', type), stringAttr('exception.message', message), stringAttr('exception.stacktrace', STACK)],
  };
}

export function span(events: object[], overrides: Record<string, unknown> = {}) {
  return {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    name: 'GET /quote',
    kind: 2,
    startTimeUnixNano: '1796320403000000000',
    endTimeUnixNano: '1796320403100000000',
    attributes: [stringAttr('http.route', '/quote'), { key: 'http.status_code', value: { intValue: 500 } }],
    events,
    status: { code: 2 },
    ...overrides,
  };
}

export function traces(spans: object[], resource: object = RESOURCE) {
  return { resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'express' }, spans }] }] };
}

export function logRecord(overrides: Record<string, unknown> = {}) {
  return {
    timeUnixNano: '1796320403069000000',
    observedTimeUnixNano: '1796320403070000000',
    severityNumber: 17,
    severityText: 'ERROR',
    body: { stringValue: 'quote failed' },
    attributes: [stringAttr('exception.type', 'QuoteError'), stringAttr('exception.message', 'no price for sku 7'), stringAttr('exception.stacktrace', STACK)],
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    ...overrides,
  };
}

export function logs(records: object[], resource: object = RESOURCE) {
  return { resourceLogs: [{ resource, scopeLogs: [{ scope: { name: 'pino' }, logRecords: records }] }] };
}
