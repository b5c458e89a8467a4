import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { FailureCapture } from '../capture/sink.js';
import { buildReport, type ReportInput } from '../report/build-report.js';
import { boundContextObjects } from '../report/context.js';
import { reportOrigin, type ReportOrigin } from '../report/origin.js';
import { newReportId } from '../report/report-id.js';
import { ReportSchema, type Level, type Report } from '../report/schema.js';
import { traceOfActiveSpan } from '../integrations/otel.js';
import { BatchTransport, type TransportOptions } from '../transport/batch-transport.js';
import type { DropCounter } from '../transport/drop-counter.js';
import { createOtlpTransport } from '../transport/otlp-transport.js';
import { Diagnostics, defaultLogger } from './diagnostics.js';
import type { ResolvedOptions } from './options.js';
import { asyncStackFor, scopeHere } from './scope-bridge.js';

/** Options of `captureException`. */
export interface CaptureOptions {
  /** Default 'error'. */
  level?: Level;
  /** Added to the scope's tags (and win over them). */
  tags?: Record<string, string>;
  /** Grouping override; `'{{ default }}'` stands for the default key. */
  fingerprint?: string[];
}

const LEVELS: ReadonlySet<unknown> = new Set(['fatal', 'error', 'warning', 'info']);

// Compiled on first use: only reports changed by a `beforeSend` are checked.
let reportCheck: TypeCheck<typeof ReportSchema> | undefined;
function checkReport(): TypeCheck<typeof ReportSchema> {
  return (reportCheck ??= TypeCompiler.Compile(ReportSchema));
}

/** Where a synthetic stack (for a thrown value without one) starts: the caller of the public function. */
export type StackStart = (...args: never[]) => unknown;

/**
 * One initialised SDK: builds reports from failures and hands them to its transport. Every public method
 * guards itself: a fault inside the SDK is logged (once per kind) and counted, never thrown.
 */
export class Client {
  readonly diagnostics: Diagnostics;
  readonly #options: ResolvedOptions;
  readonly #origin: ReportOrigin;
  /** Every transport a report goes to: the faultline collector's, the OTLP export's (`init({ otlp })`), or both. */
  readonly #transports: readonly BatchTransport[];
  /** The first of them; it counts drops that happen before a report reaches any transport. */
  readonly #transport: BatchTransport;
  #closed = false;

  /** `transport` overrides are for tests (backoff scale, batch delay); applications use `init`. */
  constructor(options: ResolvedOptions, transport: Partial<TransportOptions> = {}) {
    this.#options = options;
    this.diagnostics = new Diagnostics(options.logger ?? defaultLogger());
    this.#origin = reportOrigin(options);
    const transports: BatchTransport[] = [];
    if (options.endpoint !== undefined && !options.otlp?.only) {
      transports.push(
        new BatchTransport({
          endpoint: options.endpoint,
          ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
          maxQueue: options.maxQueue,
          diagnostics: this.diagnostics,
          ...transport,
        }),
      );
    }
    if (options.otlp !== undefined) {
      transports.push(createOtlpTransport(options.otlp, { maxQueue: options.maxQueue, diagnostics: this.diagnostics, ...transport }));
    }
    // resolveOptions guarantees at least one destination.
    this.#transports = transports;
    this.#transport = transports[0]!;
  }

  get options(): ResolvedOptions {
    return this.#options;
  }

  /** Counts of dropped reports by reason, not yet delivered to the collector. */
  get drops(): DropCounter {
    return this.#transport.drops;
  }

  captureException(error: unknown, options?: CaptureOptions, stackStart?: StackStart): string {
    const id = newReportId();
    try {
      const level = options?.level;
      if (level !== undefined && !LEVELS.has(level)) {
        // Not `level`: that key is the log record's own level in pino.
        this.diagnostics.warnOnce('capture_level', { givenLevel: level }, "faultline: captureException's level must be fatal, error, warning or info; using error");
      }
      this.#capture({
        id,
        error,
        level: level !== undefined && LEVELS.has(level) ? level : 'error',
        handled: true,
        mechanism: 'captureException',
        ...(options?.tags !== undefined ? { tags: options.tags } : {}),
        ...(options?.fingerprint !== undefined ? { fingerprint: options.fingerprint } : {}),
        // A thrown string has no stack; where it was captured is the best there is.
        ...(isObjectWithStack(error) ? {} : { syntheticStack: syntheticStack(stackStart ?? CAPTURE_EXCEPTION) }),
      });
    } catch (fault) {
      this.#fault(fault);
    }
    return id;
  }

  /** The capture sink: failures from groups, process handlers and the logger integration. */
  captureFailure(capture: FailureCapture): string {
    const id = newReportId();
    try {
      this.#capture({
        id,
        error: capture.error,
        level: capture.level,
        handled: capture.handled,
        mechanism: capture.mechanism,
        ...(capture.group !== undefined ? { group: capture.group } : {}),
        ...(capture.scope !== undefined ? { scope: capture.scope } : {}),
        ...(capture.trace !== undefined ? { trace: capture.trace } : {}),
      });
    } catch (fault) {
      this.#fault(fault);
    }
    return id;
  }

  flush(timeoutMs?: number): Promise<boolean> {
    return this.#both((t) => t.flush(timeoutMs));
  }

  /** Delivers what is queued, with no deadline and nothing keeping the process alive (see BatchTransport.drain). */
  drain(): Promise<boolean> {
    return this.#both((t) => t.drain());
  }

  close(timeoutMs?: number): Promise<boolean> {
    this.#closed = true;
    return this.#both((t) => t.close(timeoutMs));
  }

  async #both(action: (transport: BatchTransport) => Promise<boolean>): Promise<boolean> {
    const results = await Promise.all(this.#transports.map((t) => action(t).catch(() => false)));
    return results.every(Boolean);
  }

  #capture(input: ReportInput & { id: string }): void {
    if (this.#closed) {
      this.#transport.drops.add('closed');
      return;
    }
    const { sampleRate, beforeSend } = this.#options;
    if (sampleRate < 1 && Math.random() >= sampleRate) {
      this.#transport.drops.add('sample_rate');
      return;
    }
    // A traced task's failure carries its task's span (which its end recorded it on), not the active one.
    const trace = input.trace ?? traceOfActiveSpan(input.error);
    const asyncStack = asyncStackFor(input.error);
    const report = buildReport(
      {
        ...input,
        scope: input.scope ?? scopeHere(),
        ...(trace !== undefined ? { trace } : {}),
        ...(asyncStack !== undefined ? { asyncStack } : {}),
      },
      this.#origin,
    );
    const final = beforeSend === undefined ? report : this.#beforeSend(beforeSend, report);
    if (final === undefined) return;
    for (const t of this.#transports) t.enqueue(final);
  }

  #beforeSend(hook: (report: Report) => Report | null, report: Report): Report | undefined {
    let result: Report | null;
    try {
      // A copy: the report shares frozen frames and origin objects with other reports.
      result = hook(structuredClone(report));
    } catch (error) {
      this.#transport.drops.add('before_send_error');
      this.diagnostics.warnOnce('before_send_error', { err: error }, 'faultline: beforeSend threw; the report was dropped');
      return undefined;
    }
    if (result === null) {
      this.#transport.drops.add('before_send');
      return undefined;
    }
    const check = checkReport();
    if (!check.Check(result)) {
      this.#transport.drops.add('invalid');
      const first = check.Errors(result).First();
      this.diagnostics.warnOnce(
        'invalid',
        { path: first?.path, problem: first?.message },
        'faultline: beforeSend returned something that is not a valid report; it was dropped',
      );
      return undefined;
    }
    boundContextObjects(result.context);
    return result;
  }

  #fault(fault: unknown): void {
    this.#transport.drops.add('invalid');
    this.diagnostics.warnOnce('capture_fault', { err: fault }, 'faultline: internal fault while building a report; it was dropped');
  }
}

// Only its identity is used: the synthetic stack starts below it.
// eslint-disable-next-line @typescript-eslint/unbound-method
const CAPTURE_EXCEPTION: StackStart = Client.prototype.captureException;

function syntheticStack(start: StackStart): string {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, start);
  return holder.stack ?? '';
}

function isObjectWithStack(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  try {
    return typeof (value as { stack?: unknown }).stack === 'string';
  } catch {
    return false;
  }
}
