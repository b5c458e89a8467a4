import type { Diagnostics } from '../client/diagnostics.js';
import type { BackoffOptions } from './backoff.js';
import type { BatchEncoding } from './batch-encoding.js';
import type { DropCounter } from './drop-counter.js';
import type { Scheduler } from './scheduler.js';

/** Settings of a `BatchTransport`; every default is said here and applied in its constructor. */
export interface TransportOptions {
  /** Collector base URL; batches go to `{endpoint}/v1/reports` (or the encoding's path). */
  readonly endpoint: string;
  /** Default `REPORTS_ENCODING`. */
  readonly encoding?: BatchEncoding;
  readonly apiKey?: string;
  /** Reports waiting to be sent; when full the oldest is dropped (`queue_overflow`). Default 1000. */
  readonly maxQueue?: number;
  /** Default 100. */
  readonly maxBatchReports?: number;
  /** Uncompressed JSON size of a batch body. Default 1 MiB. */
  readonly maxBatchBytes?: number;
  /** Longest a report waits for its batch to fill. Default 1000 ms. */
  readonly batchDelayMs?: number;
  /** Default 2. */
  readonly maxInFlight?: number;
  readonly backoff?: BackoffOptions;
  /** Jitter source, [0, 1). */
  readonly random?: () => number;
  /** Default 10 s. */
  readonly requestTimeoutMs?: number;
  readonly scheduler?: Scheduler;
  readonly drops?: DropCounter;
  readonly diagnostics?: Diagnostics;
  /** Reports serialized per turn of the event loop while a batch is formed. Default 20. */
  readonly serializeSliceSize?: number;
}
