import type { Diagnostics } from '../client/diagnostics.js';
import type { BatchEncoding } from './batch-encoding.js';
import { BatchTransport } from './batch-transport.js';
import { otlpLogsBody, otlpRejected } from './otlp-log-records.js';
import type { ResolvedOtlpOptions } from './otlp-options.js';
import type { TransportOptions } from './transport-options.js';

/** Batches as OTLP/HTTP JSON `ExportLogsServiceRequest`s to `{base}v1/logs`. */
export function otlpEncoding(options: ResolvedOtlpOptions): BatchEncoding {
  return {
    path: 'v1/logs',
    headers: options.headers,
    // OTLP has no place for the SDK's dropped counts; they stay with the faultline transport.
    carriesDrops: false,
    body: (reports) => otlpLogsBody(reports),
    rejected: otlpRejected,
  };
}

/**
 * The transport of the OTLP export: the SDK's batch transport (bounded queue, batching, gzip, retries with
 * backoff for network errors, 429 and 5xx honouring `Retry-After`, unref'd sockets and timers, never throwing),
 * writing OTLP log records.
 */
export function createOtlpTransport(
  options: ResolvedOtlpOptions,
  settings: { maxQueue: number; diagnostics: Diagnostics } & Partial<TransportOptions>,
): BatchTransport {
  return new BatchTransport({ ...settings, endpoint: options.base, encoding: otlpEncoding(options) });
}
