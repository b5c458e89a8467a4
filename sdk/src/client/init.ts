import { setGroupInstrumentation, type GroupInstrumentation } from '../capture/instrumentation.js';
import { setCaptureSink } from '../capture/sink.js';
import { otelInstrumentation } from '../integrations/otel.js';
import { awaitedDeadline } from '../max-timeout.js';
import type { DropReason } from '../transport/drop-counter.js';
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
/**
 * Each client a later `init()` replaced, until it has delivered (or dropped) what it had queued: true once all
 * of it was acknowledged. It keeps retrying while the collector is down, as the installed client would.
 */
const retiring = new Map<Client, Promise<boolean>>();
/** Replaced clients still delivering at most: a further `init` closes the oldest (its reports count as closed). */
const MAX_RETIRING = 4;

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
  // Each init sets the process default, back to 'task' when it names none; close sets it back too.
  applySpawnStacks(resolved.spawnStacks ?? 'task');
  uninstallers.push(() => applySpawnStacks('task'));

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
 * Lets a replaced client deliver what it holds, however long the collector is down, then closes it. Nothing
 * keeps the process alive for it; `flush` and `close` wait for it, within their timeout.
 */
function retire(client: Client): void {
  const done = client.drain().then(
    async (ok) => (await client.close(0)) && ok,
    () => false,
  );
  retiring.set(client, done);
  const forget = (): void => void retiring.delete(client);
  done.then(forget, forget);
  const [oldest, oldestDone] = retiring.size > MAX_RETIRING ? [...retiring][0]! : [];
  if (oldest === undefined || oldestDone === undefined) return;
  void oldest.close(0);
  // Once what it had in flight has settled too (counted as closed), its counts move on.
  void oldestDone.then(() => handOverDrops(oldest));
}

/** A closed client's undelivered drop counts go on with the installed client, so the collector still sees them. */
function handOverDrops(from: Client): void {
  const counts = from.drops.snapshot();
  const to = installed?.client;
  if (counts === undefined || to === undefined) return;
  for (const [reason, n] of Object.entries(counts)) to.drops.add(reason as DropReason, n);
  from.drops.subtract(counts);
}

/**
 * `own` (the installed client's flush or close) and every replaced client still delivering, each within `timeoutMs`:
 * true only if all of them delivered what they had queued.
 */
async function withRetiring(own: Promise<boolean> | undefined, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<boolean> {
  const results = await Promise.all([own ?? true, ...[...retiring.values()].map((done) => within(done, timeoutMs))]);
  return results.every(Boolean);
}

/** `done`, or false once `timeoutMs` passed. Its timer keeps the process alive, as a flush's does. */
function within(done: Promise<boolean>, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = awaitedDeadline(() => resolve(false), timeoutMs);
    const settle = (ok: boolean): void => {
      clearTimeout(timer);
      resolve(ok);
    };
    done.then(settle, () => settle(false));
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
export async function close(timeoutMs?: number): Promise<boolean> {
  const current = installed;
  if (current !== undefined) teardown(current);
  const ok = await withRetiring(current?.client.close(timeoutMs), timeoutMs);
  // What replaced clients could not deliver in that time is dropped with them: the SDK is shut down.
  await Promise.all([...retiring.keys()].map((client) => client.close(0)));
  return ok;
}

/** The initialised client, for integrations in this package. */
export function currentClient(): Client | undefined {
  return installed?.client;
}
