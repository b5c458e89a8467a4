import protobuf from 'protobufjs/light.js';
import { httpError } from '../../errors.js';

/**
 * The part of the OTLP protobuf schema (opentelemetry-proto, `collector/{trace,logs}/v1`) that ingest reads, as a
 * protobufjs descriptor with the fields' JSON (lowerCamelCase) names: a decoded message converts to the same shape
 * as an OTLP/HTTP JSON body. Fields left out here are skipped as unknown fields, which protobuf allows.
 */
const DESCRIPTOR = {
  nested: {
    otlp: {
      nested: {
        AnyValue: {
          oneofs: { value: { oneof: ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] } },
          fields: {
            stringValue: { type: 'string', id: 1 },
            boolValue: { type: 'bool', id: 2 },
            intValue: { type: 'int64', id: 3 },
            doubleValue: { type: 'double', id: 4 },
            arrayValue: { type: 'ArrayValue', id: 5 },
            kvlistValue: { type: 'KeyValueList', id: 6 },
            bytesValue: { type: 'bytes', id: 7 },
          },
        },
        ArrayValue: { fields: { values: { rule: 'repeated', type: 'AnyValue', id: 1 } } },
        KeyValueList: { fields: { values: { rule: 'repeated', type: 'KeyValue', id: 1 } } },
        KeyValue: { fields: { key: { type: 'string', id: 1 }, value: { type: 'AnyValue', id: 2 } } },
        InstrumentationScope: { fields: { name: { type: 'string', id: 1 }, version: { type: 'string', id: 2 } } },
        Resource: { fields: { attributes: { rule: 'repeated', type: 'KeyValue', id: 1 } } },
        SpanEvent: {
          fields: {
            timeUnixNano: { type: 'fixed64', id: 1 },
            name: { type: 'string', id: 2 },
            attributes: { rule: 'repeated', type: 'KeyValue', id: 3 },
          },
        },
        Status: { fields: { message: { type: 'string', id: 2 }, code: { type: 'int32', id: 3 } } },
        Span: {
          fields: {
            traceId: { type: 'bytes', id: 1 },
            spanId: { type: 'bytes', id: 2 },
            name: { type: 'string', id: 5 },
            startTimeUnixNano: { type: 'fixed64', id: 7 },
            attributes: { rule: 'repeated', type: 'KeyValue', id: 9 },
            events: { rule: 'repeated', type: 'SpanEvent', id: 11 },
            status: { type: 'Status', id: 15 },
          },
        },
        ScopeSpans: { fields: { scope: { type: 'InstrumentationScope', id: 1 }, spans: { rule: 'repeated', type: 'Span', id: 2 } } },
        ResourceSpans: { fields: { resource: { type: 'Resource', id: 1 }, scopeSpans: { rule: 'repeated', type: 'ScopeSpans', id: 2 } } },
        ExportTraceServiceRequest: { fields: { resourceSpans: { rule: 'repeated', type: 'ResourceSpans', id: 1 } } },
        LogRecord: {
          fields: {
            timeUnixNano: { type: 'fixed64', id: 1 },
            severityNumber: { type: 'int32', id: 2 },
            severityText: { type: 'string', id: 3 },
            body: { type: 'AnyValue', id: 5 },
            attributes: { rule: 'repeated', type: 'KeyValue', id: 6 },
            traceId: { type: 'bytes', id: 9 },
            spanId: { type: 'bytes', id: 10 },
            observedTimeUnixNano: { type: 'fixed64', id: 11 },
            eventName: { type: 'string', id: 12 },
          },
        },
        ScopeLogs: { fields: { scope: { type: 'InstrumentationScope', id: 1 }, logRecords: { rule: 'repeated', type: 'LogRecord', id: 2 } } },
        ResourceLogs: { fields: { resource: { type: 'Resource', id: 1 }, scopeLogs: { rule: 'repeated', type: 'ScopeLogs', id: 2 } } },
        ExportLogsServiceRequest: { fields: { resourceLogs: { rule: 'repeated', type: 'ResourceLogs', id: 1 } } },
        PartialSuccess: { fields: { rejected: { type: 'int64', id: 1 }, errorMessage: { type: 'string', id: 2 } } },
        ExportResponse: { fields: { partialSuccess: { type: 'PartialSuccess', id: 1 } } },
        Status_: { fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 } } },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(DESCRIPTOR);
const traceRequest = root.lookupType('otlp.ExportTraceServiceRequest');
const logsRequest = root.lookupType('otlp.ExportLogsServiceRequest');
const exportResponse = root.lookupType('otlp.ExportResponse');
const rpcStatus = root.lookupType('otlp.Status_');

// int64 as decimal strings and bytes (ids) as base64, as in OTLP JSON (ids there are hex; both are read).
const TO_OBJECT: protobuf.IConversionOptions = { longs: String, bytes: String, defaults: false, oneofs: false };

export type OtlpSignal = 'traces' | 'logs';

/** Decodes an OTLP/HTTP protobuf request body into the shape of its JSON encoding. */
export function decodeOtlpProtobuf(signal: OtlpSignal, body: Buffer): unknown {
  const type = signal === 'traces' ? traceRequest : logsRequest;
  try {
    return type.toObject(type.decode(body), TO_OBJECT);
  } catch (error) {
    throw httpError('FAULTLINE_INVALID_OTLP', `The body is not a valid OTLP ${signal} protobuf message: ${(error as Error).message}`);
  }
}

/**
 * An `Export{Trace,Logs}ServiceResponse` in protobuf: both hold `partial_success` (field 1) whose first field is the
 * rejected count (`rejected_spans` or `rejected_log_records`) and second the error message.
 */
export function encodeOtlpResponse(partial: { rejected: number; errorMessage: string } | undefined): Uint8Array {
  return exportResponse.encode(exportResponse.create(partial === undefined ? {} : { partialSuccess: partial })).finish();
}

/** A `google.rpc.Status` (code and message) in protobuf, the body of an OTLP error answer. */
export function encodeRpcStatus(code: number, message: string): Uint8Array {
  return rpcStatus.encode(rpcStatus.create({ code, message })).finish();
}
