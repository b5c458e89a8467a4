import { MAX_TIMEOUT_MS } from '../max-timeout.js';
import type { Report } from '../report/schema.js';
import { HEADER_VALUE, isHeaderValue, resolveOtlpOptions, type OtlpOptions, type ResolvedOtlpOptions } from '../transport/otlp-options.js';
import type { DiagnosticLogger } from './diagnostics.js';

/** Options of `init`. `endpoint` (unless `otlp.only`) and `service` are required. */
export interface InitOptions {
  /** Collector base URL (`http:` or `https:`); batches go to `{endpoint}/v1/reports`. Not needed with `otlp.only`. */
  endpoint?: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** `service.name` of every report. */
  service: string;
  environment?: string;
  /** `service.version` of every report. */
  release?: string;
  /** Share of reports kept, 0 to 1. Default 1. */
  sampleRate?: number;
  /** Changes a report before it is queued, or drops it by returning null. Synchronous. */
  beforeSend?: (report: Report) => Report | null;
  /** Capture uncaught exceptions (level fatal), then exit as Node would. Default true. */
  captureUncaught?: boolean;
  /** Capture unhandled rejections (level fatal), then do what `--unhandled-rejections` says. Default true. */
  captureUnhandledRejections?: boolean;
  /** Time given to deliver a fatal report before the process exits, at most 2^31 - 1 ms. Default 2000 ms. */
  shutdownTimeoutMs?: number;
  /** Reports waiting to be sent (1 to 1,000,000); when full the oldest is dropped. Default 1000. */
  maxQueue?: number;
  /** Where the SDK's own diagnostics go (a pino logger). Default: pino on stderr, level warn. */
  logger?: DiagnosticLogger;
  /** Make an OpenTelemetry span of each group and task (needs `@opentelemetry/api`). Default false. */
  tracing?: boolean;
  /** How much of the spawn chain groups record. Default: the groups' own default. */
  spawnStacks?: 'task' | 'group' | 'off';
  /** Also (or, with `only`, instead) send each report as an OTLP log record to an OpenTelemetry pipeline. */
  otlp?: OtlpOptions;
}

/** Options after validation, defaults applied. */
export interface ResolvedOptions {
  /** Absent when reports go only to OTLP. */
  readonly endpoint?: string;
  readonly apiKey?: string;
  readonly service: string;
  readonly environment?: string;
  readonly release?: string;
  readonly sampleRate: number;
  readonly beforeSend?: (report: Report) => Report | null;
  readonly captureUncaught: boolean;
  readonly captureUnhandledRejections: boolean;
  readonly shutdownTimeoutMs: number;
  readonly maxQueue: number;
  readonly logger?: DiagnosticLogger;
  readonly tracing: boolean;
  readonly spawnStacks?: 'task' | 'group' | 'off';
  readonly otlp?: ResolvedOtlpOptions;
}

// The queue is allocated up front; a larger one is a typo (2 ** 32) rather than a setting.
const MAX_QUEUE = 1_000_000;

function fail(option: string, expected: string, got: unknown): never {
  const shown = typeof got === 'string' ? JSON.stringify(got) : typeof got === 'function' ? 'a function' : String(got);
  throw new TypeError(`faultline init: \`${option}\` must be ${expected} (got ${shown})`);
}

function optionalString(options: Record<string, unknown>, name: string): string | undefined {
  const v = options[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') fail(name, 'a non-empty string', v);
  return v;
}

function optionalBoolean(options: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const v = options[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') fail(name, 'a boolean', v);
  return v;
}

/**
 * Checks `init`'s options and applies defaults. A programmer error (a wrong type, a malformed URL, a value out
 * of range) throws a TypeError naming the option, at init time, before anything is installed.
 */
export function resolveOptions(input: InitOptions): ResolvedOptions {
  if (input === null || typeof input !== 'object') fail('options', 'an object', input);
  const o = input as unknown as Record<string, unknown>;

  const otlp = resolveOtlpOptions(o.otlp);
  const endpoint = o.endpoint;
  if (endpoint !== undefined || otlp?.only !== true) {
    if (typeof endpoint !== 'string' || endpoint === '') fail('endpoint', 'a URL string (or set otlp.only to send only to OTLP)', endpoint);
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      fail('endpoint', 'an absolute http(s) URL', endpoint);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') fail('endpoint', 'an http: or https: URL', endpoint);
  }

  const service = o.service;
  if (typeof service !== 'string' || service.trim() === '') fail('service', 'a non-empty string', service);

  const sampleRate = o.sampleRate ?? 1;
  if (typeof sampleRate !== 'number' || !(sampleRate >= 0 && sampleRate <= 1)) fail('sampleRate', 'a number from 0 to 1', sampleRate);

  const beforeSend = o.beforeSend;
  if (beforeSend !== undefined && typeof beforeSend !== 'function') fail('beforeSend', 'a function', beforeSend);

  const maxQueue = o.maxQueue ?? 1000;
  if (typeof maxQueue !== 'number' || !Number.isInteger(maxQueue) || maxQueue < 1 || maxQueue > MAX_QUEUE) {
    fail('maxQueue', `an integer from 1 to ${MAX_QUEUE}`, maxQueue);
  }

  const shutdownTimeoutMs = o.shutdownTimeoutMs ?? 2000;
  if (typeof shutdownTimeoutMs !== 'number' || !(shutdownTimeoutMs >= 0 && shutdownTimeoutMs <= MAX_TIMEOUT_MS)) {
    fail('shutdownTimeoutMs', `a number of milliseconds from 0 to ${MAX_TIMEOUT_MS}`, shutdownTimeoutMs);
  }

  const logger = o.logger;
  if (logger !== undefined) {
    const l = logger as Record<string, unknown> | null;
    if (l === null || typeof l !== 'object' || typeof l.warn !== 'function' || typeof l.debug !== 'function') {
      fail('logger', 'a pino logger (an object with warn and debug methods)', logger);
    }
  }

  const spawnStacks = o.spawnStacks;
  if (spawnStacks !== undefined && spawnStacks !== 'task' && spawnStacks !== 'group' && spawnStacks !== 'off') {
    fail('spawnStacks', "'task', 'group' or 'off'", spawnStacks);
  }

  const apiKey = optionalString(o, 'apiKey');
  // The key is not shown in the error: it is a credential.
  if (apiKey !== undefined && !isHeaderValue('authorization', `Bearer ${apiKey}`)) {
    throw new TypeError(`faultline init: \`apiKey\` must be ${HEADER_VALUE}`);
  }
  const environment = optionalString(o, 'environment');
  const release = optionalString(o, 'release');
  return {
    ...(typeof endpoint === 'string' ? { endpoint } : {}),
    service,
    sampleRate,
    maxQueue,
    shutdownTimeoutMs,
    captureUncaught: optionalBoolean(o, 'captureUncaught', true),
    captureUnhandledRejections: optionalBoolean(o, 'captureUnhandledRejections', true),
    tracing: optionalBoolean(o, 'tracing', false),
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(environment !== undefined ? { environment } : {}),
    ...(release !== undefined ? { release } : {}),
    ...(beforeSend !== undefined ? { beforeSend: beforeSend as ResolvedOptions['beforeSend'] } : {}),
    ...(logger !== undefined ? { logger: logger as DiagnosticLogger } : {}),
    ...(spawnStacks !== undefined ? { spawnStacks } : {}),
    ...(otlp !== undefined ? { otlp } : {}),
  };
}
