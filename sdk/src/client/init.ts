import { setGroupInstrumentation, type GroupInstrumentation } from '../capture/instrumentation.js';
import { setCaptureSink } from '../capture/sink.js';
import { otelInstrumentation } from '../integrations/otel.js';
import { newReportId } from '../report/report-id.js';
import { Client, type CaptureOptions } from './client.js';
import { Diagnostics, defaultLogger } from './diagnostics.js';
import { resolveOptions, type InitOptions } from './options.js';
import { installProcessHandlers } from './process-handlers.js';
import { applySpawnStacks } from './scope-bridge.js';

interface Installed {
  readonly client: Client;
  readonly uninstall: () => void;
}

let installed: Installed | undefined;
let warnedBeforeInit = false;

/**
 * Starts the SDK: reports from `captureException`, from group failures, and (by default) from uncaught
 * exceptions and unhandled rejections go to the collector at `endpoint`. Calling it again replaces the
 * previous configuration (whose queued reports are still flushed). Throws a TypeError naming the option
 * when an option is wrong; nothing after init ever throws into the application.
 *
 * @example
 * init({ endpoint: 'http://127.0.0.1:4319', apiKey: process.env.FAULTLINE_KEY, service: 'checkout' });
 */
export function init(options: InitOptions): void {
  const resolved = resolveOptions(options);
  const previous = installed;
  if (previous !== undefined) {
    teardown(previous);
    void previous.client.close();
  }
  const client = new Client(resolved);
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
      flush: (timeoutMs) => client.flush(timeoutMs),
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
 * the call, `false` if some were dropped or `timeoutMs` (default 5000) passed. Keeps the process alive
 * while it waits, at most `timeoutMs`.
 */
export function flush(timeoutMs?: number): Promise<boolean> {
  return installed === undefined ? Promise.resolve(true) : installed.client.flush(timeoutMs);
}

/**
 * Flushes (as `flush`), then shuts the SDK down: process handlers removed, later captures are no-ops, sockets
 * closed. Resolves like `flush`.
 */
export function close(timeoutMs?: number): Promise<boolean> {
  const current = installed;
  if (current === undefined) return Promise.resolve(true);
  teardown(current);
  return current.client.close(timeoutMs);
}

/** The initialised client, for integrations in this package. */
export function currentClient(): Client | undefined {
  return installed?.client;
}
