import { setGroupInstrumentation, type GroupInstrumentation } from '../capture/instrumentation.js';
import { setCaptureSink } from '../capture/sink.js';
import { otelInstrumentation } from '../integrations/otel.js';
import { MAX_TIMEOUT_MS } from '../max-timeout.js';
import { newReportId } from '../report/report-id.js';
import { Client, type CaptureOptions } from './client.js';
import { Diagnostics, defaultLogger } from './diagnostics.js';
import { resolveOptions, type InitOptions } from './options.js';
import { installProcessHandlers } from './process-handlers.js';
import { applySpawnStacks } from './scope-bridge.js';

// flush's and close's default, as the transport's.
const DEFAULT_TIMEOUT_MS = 5000;

interface Installed {
  readonly client: Client;
  readonly uninstall: () => void;
}

let installed: Installed | undefined;
let warnedBeforeInit = false;
/** The `close()` of each client replaced by a later `init()`, until it has delivered (or dropped) its queue. */
const retiring = new Set<Promise<boolean>>();

/**
 * Starts the SDK: reports from `captureException`, from group failures, and (by default) from uncaught
 * exceptions and unhandled rejections go to the collector at `endpoint`. Calling it again replaces the
 * previous configuration (whose queued reports are still flushed). Throws a TypeError naming the option
 * when an option is wrong, leaving any previous configuration in place; nothing after init ever throws into
 * the application.
 *
 * @example
 * init({ endpoint: 'http://127.0.0.1:4319', apiKey: process.env.FAULTLINE_KEY, service: 'checkout' });
 */
export function init(options: InitOptions): void {
  const resolved = resolveOptions(options);
  // Made before the previous client is touched: if this throws, the previous one stays installed.
  const client = new Client(resolved);
  const previous = installed;
  if (previous !== undefined) {
    teardown(previous);
    retire(previous.client);
  }
  const uninstallers: (() => void)[] = [];

  setCaptureSink((capture) => {
    client.captureFailure(capture);
  });
  uninstallers.push(() => setCaptureSink(undefined));

  uninstallers.push(
    installProcessHandlers({
      uncaught: resolved.captureUncaught,
      rejections: resolved.captureUnhandledRejections,
      timeoutMs: resolved.shutdownTimeoutMs,
      capture: (capture) => client.captureFailure(capture),
      flush: (timeoutMs) => withRetiring(client.flush(timeoutMs), timeoutMs),
      diagnostics: client.diagnostics,
    }),
  );

  if (resolved.tracing) {
    const instrumentation: GroupInstrumentation | undefined = otelInstrumentation();
    if (instrumentation === undefined) {
      client.diagnostics.warn({}, 'faultline: tracing needs @opentelemetry/api, which is not installed; groups are not traced');
    } else {
      setGroupInstrumentation(instrumentation);
      uninstallers.push(() => setGroupInstrumentation(undefined));
    }
  }
  if (resolved.spawnStacks !== undefined) applySpawnStacks(resolved.spawnStacks);

  installed = {
    client,
    uninstall: () => {
      for (const u of uninstallers) u();
    },
  };
}

function teardown(current: Installed): void {
  current.uninstall();
  if (installed === current) installed = undefined;
}

/** Closes a replaced client in the background; `flush` and `close` wait for it until it is done. */
function retire(client: Client): void {
  const closed = client.close();
  retiring.add(closed);
  const forget = (): void => void retiring.delete(closed);
  closed.then(forget, forget);
}

/**
 * `own` (the installed client's flush or close) and every replaced client still closing, each within `timeoutMs`:
 * true only if all of them delivered what they had queued.
 */
async function withRetiring(own: Promise<boolean> | undefined, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<boolean> {
  const results = await Promise.all([own ?? true, ...[...retiring].map((closed) => within(closed, timeoutMs))]);
  return results.every(Boolean);
}

/** `closed`, or false once `timeoutMs` passed. Its timer keeps the process alive, as a flush's does. */
function within(closed: Promise<boolean>, timeoutMs: number): Promise<boolean> {
  // Past setTimeout's range there is no limit; the close itself is bounded by its own default timeout.
  if (timeoutMs > MAX_TIMEOUT_MS) return closed;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), Math.max(0, timeoutMs));
    const settle = (ok: boolean): void => {
      clearTimeout(timer);
      resolve(ok);
    };
    closed.then(settle, () => settle(false));
  });
}

/**
 * Reports an error (or any thrown value) at level `error` (or `options.level`), `handled: true`, with the
 * current scope's context. Returns the report's id, also when the report is then dropped (sampling,
 * `beforeSend`) or when the SDK is not initialised (a no-op then, logged once).
 */
export function captureException(error: unknown, options?: CaptureOptions): string {
  const current = installed;
  if (current === undefined) {
    if (!warnedBeforeInit) {
      warnedBeforeInit = true;
      new Diagnostics(defaultLogger()).warn({}, 'faultline: captureException called before init(); nothing is reported');
    }
    return newReportId();
  }
  return current.client.captureException(error, options, captureException);
}

/**
 * Sends everything queued and resolves `true` once the collector acknowledged every report queued before
 * the call (also those of a configuration a later `init` replaced), `false` if some were dropped or `timeoutMs`
 * (default 5000; `Infinity`: no limit) passed. Keeps the process alive while it waits, at most `timeoutMs`.
 */
export function flush(timeoutMs?: number): Promise<boolean> {
  return withRetiring(installed?.client.flush(timeoutMs), timeoutMs);
}

/**
 * Flushes (as `flush`, replaced configurations included), then shuts the SDK down: process handlers removed,
 * later captures are no-ops, sockets closed. Resolves like `flush`.
 */
export function close(timeoutMs?: number): Promise<boolean> {
  const current = installed;
  if (current !== undefined) teardown(current);
  return withRetiring(current?.client.close(timeoutMs), timeoutMs);
}

/** The initialised client, for integrations in this package. */
export function currentClient(): Client | undefined {
  return installed?.client;
}
