/**
 * Every error the collector answers with, each with a stable `code` and its HTTP status. An answer's body is
 * always `{ error: message, code }`.
 */
export const ERROR_STATUS = {
  FAULTLINE_BAD_REQUEST: 400,
  FAULTLINE_INVALID_JSON: 400,
  FAULTLINE_INVALID_BATCH: 400,
  FAULTLINE_INVALID_GZIP: 400,
  FAULTLINE_INVALID_DEFLATE: 400,
  FAULTLINE_INVALID_ENVELOPE: 400,
  FAULTLINE_INVALID_EVENT: 400,
  FAULTLINE_INVALID_OTLP: 400,
  FAULTLINE_INVALID_QUERY: 400,
  FAULTLINE_INVALID_CURSOR: 400,
  FAULTLINE_INVALID_STATUS: 400,
  FAULTLINE_UNAUTHORIZED: 401,
  FAULTLINE_NOT_FOUND: 404,
  FAULTLINE_BODY_TOO_LARGE: 413,
  FAULTLINE_BODY_INFLATED_TOO_LARGE: 413,
  FAULTLINE_TOO_MANY_REPORTS: 413,
  FAULTLINE_UNSUPPORTED_MEDIA_TYPE: 415,
  FAULTLINE_UNSUPPORTED_ENCODING: 415,
  FAULTLINE_RATE_LIMITED: 429,
  FAULTLINE_INTERNAL: 500,
  FAULTLINE_OVERLOADED: 503,
  FAULTLINE_STORE_UNAVAILABLE: 503,
  FAULTLINE_SHUTTING_DOWN: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Codes of errors that are not HTTP answers (configuration, startup). */
export const CONFIG_ERROR_CODES = ['FAULTLINE_INVALID_OPTION', 'FAULTLINE_INSECURE_BIND', 'FAULTLINE_MIGRATION_FAILED'] as const;
export type ConfigErrorCode = (typeof CONFIG_ERROR_CODES)[number];

/** An error that becomes an HTTP answer `{ error: message, code }` with the status mapped from its code. */
export class CollectorHttpError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  /** Seconds, sent as `Retry-After` (429, 503). */
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, message: string, options: { retryAfter?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CollectorHttpError';
    this.code = code;
    this.statusCode = ERROR_STATUS[code];
    this.retryAfter = options.retryAfter;
  }
}

/** A bad setting (flag, environment variable or option), or a setting that would be unsafe: thrown at startup. */
export class CollectorConfigError extends Error {
  readonly code: ConfigErrorCode;

  constructor(code: ConfigErrorCode, message: string) {
    super(message);
    this.name = 'CollectorConfigError';
    this.code = code;
  }
}

export function httpError(code: ErrorCode, message: string, options?: { retryAfter?: number; cause?: unknown }): CollectorHttpError {
  return new CollectorHttpError(code, message, options);
}
