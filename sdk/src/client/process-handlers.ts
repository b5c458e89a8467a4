import { inspect } from 'node:util';
import type { FailureCapture } from '../capture/sink.js';
import { MAX_TIMEOUT_MS } from '../max-timeout.js';
import { describeValue, isErrorLike, safeGet } from '../report/error-info.js';
import type { Diagnostics } from './diagnostics.js';
import { unhandledRejectionsMode } from './rejection-mode.js';

export interface ProcessHandlerOptions {
  readonly uncaught: boolean;
  readonly rejections: boolean;
  /** Time given to deliver the fatal report before Node's behaviour proceeds. */
  readonly timeoutMs: number;
  readonly capture: (capture: FailureCapture) => void;
  readonly flush: (timeoutMs: number) => Promise<boolean>;
  readonly diagnostics: Diagnostics;
}

// Node's own text for a rejection whose reason is not an Error (lib/internal/process/promises.js).
const REJECTION_ORIGIN =
  'This error originated either by throwing inside of an async function without a catch block, ' +
  'or by rejecting a promise which was not handled with .catch().';

/**
 * Captures uncaught exceptions and unhandled rejections at level fatal, gives the report `timeoutMs` to reach
 * the collector, then does what Node would have done without these listeners: print the error and exit with
 * code 1, or what the process's `--unhandled-rejections` mode says. An application that has its own
 * `uncaughtException` (or `unhandledRejection`) listener keeps control: faultline captures and stays out of
 * the way. Returns a function that removes the listeners.
 */
export function installProcessHandlers(options: ProcessHandlerOptions): () => void {
  // The same failure can arrive twice in one go (strict mode: as an uncaught exception, then as a rejection;
  // the default mode: the rejection we raise as an uncaught exception). Both arrive before the event loop
  // moves on, so a value is remembered until then only: the same value failing again later is a new failure.
  const captured = new WeakSet<object>();
  let lastPrimitive: { value: unknown } | undefined;
  let exiting = false;

  const remember = (value: unknown): void => {
    const isObject = value !== null && (typeof value === 'object' || typeof value === 'function');
    const entry = { value };
    if (isObject) captured.add(value);
    else lastPrimitive = entry;
    setImmediate(() => {
      if (isObject) captured.delete(value);
      else if (lastPrimitive === entry) lastPrimitive = undefined;
    }).unref();
  };

  const alreadyCaptured = (value: unknown): boolean => {
    const isObject = value !== null && (typeof value === 'object' || typeof value === 'function');
    if (isObject ? captured.has(value) : lastPrimitive !== undefined && Object.is(lastPrimitive.value, value)) return true;
    remember(value);
    return false;
  };

  const captureFatal = (value: unknown, mechanism: 'uncaughtException' | 'unhandledRejection'): void => {
    if (alreadyCaptured(value)) return;
    options.capture({ error: value as Error, level: 'fatal', handled: false, mechanism });
  };

  /**
   * Sends the fatal report now and keeps the process alive until it is acknowledged (at most `timeoutMs`):
   * without that, a process with nothing else to do would exit before the report left.
   */
  const deliverThen = (then: () => void = () => undefined): void => {
    const keepAlive = setTimeout(() => undefined, Math.min(options.timeoutMs + 100, MAX_TIMEOUT_MS));
    options
      .flush(options.timeoutMs)
      .catch(() => false)
      .then(
        () => {
          clearTimeout(keepAlive);
          then();
        },
        () => undefined,
      );
  };

  const others = (event: 'uncaughtException' | 'unhandledRejection', own: unknown): number =>
    (process.listeners(event as 'uncaughtException') as unknown[]).filter((l) => l !== own).length;

  const onUncaught = (error: unknown, origin: string): void => {
    try {
      captureFatal(error, origin === 'unhandledRejection' ? 'unhandledRejection' : 'uncaughtException');
      if (exiting) return; // a second failure while the first is being delivered: that exit comes anyway
      // The application has its own listener: it decides what happens next.
      if (others('uncaughtException', onUncaught) > 0) return deliverThen();
      exiting = true;
      deliverThen(() => exitLikeNode(error));
    } catch (fault) {
      options.diagnostics.warn({ err: fault }, 'faultline: fault in the uncaughtException handler');
      exitLikeNode(error);
    }
  };

  const onRejection = (reason: unknown): void => {
    try {
      captureFatal(reason, 'unhandledRejection');
      if (exiting) return;
      const mode = unhandledRejectionsMode();
      // strict: Node raised it as an uncaught exception already; warn and none: Node has done its part; and
      // with another listener, Node considers the rejection handled.
      if (mode === 'strict' || mode === 'warn' || mode === 'none' || others('unhandledRejection', onRejection) > 0) {
        return deliverThen();
      }
      if (mode === 'warn-with-error-code') {
        process.emitWarning(rejectionWarning(reason), 'UnhandledPromiseRejectionWarning');
        process.exitCode = 1;
        return deliverThen();
      }
      // throw (the default): the rejection becomes an uncaught exception.
      const error = isErrorLike(reason) ? reason : rejectionError(reason);
      remember(error);
      if (others('uncaughtException', onUncaught) > 0) {
        // Node hands it to the application's uncaughtException listeners, with this origin.
        (process.emit as (event: string, ...args: unknown[]) => boolean)('uncaughtException', error, 'unhandledRejection');
        return deliverThen();
      }
      exiting = true;
      deliverThen(() => exitLikeNode(error));
    } catch (fault) {
      options.diagnostics.warn({ err: fault }, 'faultline: fault in the unhandledRejection handler');
    }
  };

  if (options.uncaught) process.on('uncaughtException', onUncaught);
  if (options.rejections) process.on('unhandledRejection', onRejection);
  return () => {
    process.removeListener('uncaughtException', onUncaught);
    process.removeListener('unhandledRejection', onRejection);
  };
}

/** Prints the error as Node prints an uncaught exception, and exits with Node's code for it (1). */
function exitLikeNode(error: unknown): never {
  let text: string;
  try {
    text = isErrorLike(error) ? inspect(error) : `Uncaught ${inspect(error)}`;
  } catch {
    text = 'Uncaught exception (unprintable)';
  }
  try {
    process.stderr.write(`${text}\n\nNode.js ${process.version}\n`);
  } catch {
    // Nothing left to tell it to.
  }
  process.exit(1);
}

function rejectionError(reason: unknown): Error {
  const error = new Error(`${REJECTION_ORIGIN} The promise rejected with the reason "${describeValue(reason)}".`);
  error.name = 'UnhandledPromiseRejection';
  (error as Error & { code: string }).code = 'ERR_UNHANDLED_REJECTION';
  return error;
}

function rejectionWarning(reason: unknown): string {
  const stack = isErrorLike(reason) ? safeGet(reason, 'stack') : undefined;
  const shown = typeof stack === 'string' ? stack : describeValue(reason);
  return `${shown}\n${REJECTION_ORIGIN} To terminate the node process on unhandled promise rejection, use the CLI flag \`--unhandled-rejections=strict\`.`;
}
