export interface BackoffOptions {
  /** Upper bound of the first retry's delay. */
  readonly initialMs: number;
  /** Cap of every delay computed here (a `Retry-After` may ask for more). */
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 30_000 };

// A Retry-After beyond this is treated as this: a collector asking for a day of silence is misconfigured.
const MAX_RETRY_AFTER_MS = 60 * 60_000;

/**
 * Delay before retry number `attempt` (1-based): exponential (initial, doubling, capped) with jitter in the
 * upper half of the window, so the first retry comes within `initialMs`. `retryAfterMs` is a minimum.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number, retryAfterMs?: number): number {
  const window = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt - 1, 30));
  const delay = window / 2 + random() * (window / 2);
  return retryAfterMs === undefined ? delay : Math.max(delay, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

/** `Retry-After` in ms: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
