import { pino, type Logger } from 'pino';

/**
 * What the SDK needs of a logger: pino's methods (an application's pino instance fits, as does any object
 * with the same `warn`/`debug` signatures).
 */
export interface DiagnosticLogger {
  warn(details: object, message: string): void;
  debug(details: object, message: string): void;
}

/** Marks the SDK's own log records, so the pino integration never reports them. */
export const SDK_DIAGNOSTIC = Symbol.for('faultline.diagnostic');

/** The SDK's own logger when the application gives none: pino on stderr, warnings and worse only. */
export function defaultLogger(): Logger {
  return pino({ name: 'faultline', level: 'warn' }, pino.destination({ fd: 2, sync: true }));
}

/**
 * The SDK's diagnostics: faults on background paths are logged, never thrown, and each kind of fault is
 * warned about once (a wrong API key must not flood the application's log).
 */
export class Diagnostics {
  readonly #logger: DiagnosticLogger;
  readonly #warned = new Set<string>();

  constructor(logger: DiagnosticLogger) {
    this.#logger = logger;
  }

  warnOnce(key: string, details: object, message: string): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.warn(details, message);
  }

  warn(details: object, message: string): void {
    try {
      this.#logger.warn({ ...details, [SDK_DIAGNOSTIC]: true }, message);
    } catch {
      // A broken logger must not turn a diagnostic into an application error.
    }
  }

  debug(details: object, message: string): void {
    try {
      this.#logger.debug({ ...details, [SDK_DIAGNOSTIC]: true }, message);
    } catch {
      // As above.
    }
  }
}
