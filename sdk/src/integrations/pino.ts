import type { Logger, LogFn } from 'pino';
import { captureFailure } from '../capture/sink.js';
import { SDK_DIAGNOSTIC } from '../client/diagnostics.js';
import { scopeHere } from '../client/scope-bridge.js';
import { isErrorLike, safeGet } from '../report/error-info.js';
import type { Level } from '../report/schema.js';
import { EMPTY_SCOPE_DATA } from '../scope/scope-data.js';

const PINO_LEVELS = { warn: 40, error: 50, fatal: 60 } as const;

export interface PinoIntegrationOptions {
  /** Lowest pino level whose records with an error make a report. Default 'error' (50); another name throws a TypeError. */
  level?: keyof typeof PINO_LEVELS | number;
  /** Key of the error in the log's merging object; pino's `errorKey`. Default 'err'. */
  errorKey?: string;
}

/** The pino `hooks` that `pinoIntegration` returns. */
export interface PinoHooks {
  logMethod(this: Logger, args: Parameters<LogFn>, method: LogFn, level: number): void;
}

/**
 * pino hooks that turn `logger.error({ err }, 'msg')` (or `logger.error(err)`) into a faultline report:
 * mechanism 'logger', level 'error' (pino fatal: 'fatal'), the log's message, bindings and other fields as
 * `context.extra.log`. The log line is written first and unchanged. Child loggers inherit the hooks.
 *
 * @example
 * const logger = pino({ hooks: pinoIntegration() });
 * logger.child({ requestId }).error({ err, orderId }, 'payment failed'); // logged and reported
 */
export function pinoIntegration(options: PinoIntegrationOptions = {}): PinoHooks {
  const min = levelOption(options.level);
  const errorKey = options.errorKey ?? 'err';
  let reporting = false;
  return {
    logMethod(args, method, level) {
      method.apply(this, args);
      if (level < min || reporting) return;
      reporting = true;
      try {
        report(this, args, level, errorKey);
      } catch {
        // The log line is written; a fault in making the report stays here.
      } finally {
        reporting = false;
      }
    },
  };
}

// An unknown name would leave no threshold, and every record with an error, down to trace, would be reported.
function levelOption(level: unknown): number {
  if (level === undefined) return PINO_LEVELS.error;
  if (typeof level === 'number' && Number.isFinite(level)) return level;
  if (typeof level === 'string' && Object.hasOwn(PINO_LEVELS, level)) return PINO_LEVELS[level as keyof typeof PINO_LEVELS];
  const shown = typeof level === 'string' ? JSON.stringify(level) : typeof level === 'number' ? String(level) : typeof level;
  throw new TypeError(`faultline pinoIntegration: \`level\` must be 'warn', 'error', 'fatal' or a pino level number (got ${shown})`);
}

function report(logger: Logger, args: unknown[], level: number, errorKey: string): void {
  const [first, second] = args;
  let error: unknown;
  let fields: Record<string, unknown> | undefined;
  let message: unknown = second;
  if (isErrorLike(first)) error = first;
  else if (first !== null && typeof first === 'object') {
    if ((first as Record<symbol, unknown>)[SDK_DIAGNOSTIC] === true) return; // the SDK's own diagnostics
    error = safeGet(first, errorKey);
    if (!isErrorLike(error)) return;
    fields = {};
    for (const key of Object.keys(first)) if (key !== errorKey) fields[key] = safeGet(first, key);
  } else return;
  if (typeof message !== 'string') message = undefined;
  let bindings: Record<string, unknown> = {};
  try {
    bindings = logger.bindings();
  } catch {
    // A logger-like object without bindings.
  }
  const scope = scopeHere() ?? EMPTY_SCOPE_DATA;
  const log = { ...(message !== undefined ? { msg: message } : {}), ...bindings, ...fields };
  const reportLevel: Level = level >= PINO_LEVELS.fatal ? 'fatal' : level >= PINO_LEVELS.error ? 'error' : 'warning';
  captureFailure({
    error: error as Error,
    level: reportLevel,
    handled: true,
    mechanism: 'logger',
    scope: { ...scope, extra: { ...scope.extra, log } },
  });
}
