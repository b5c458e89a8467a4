import { httpError } from '../errors.js';
import { columnText } from '../storage/column-text.js';

export type Query = Record<string, unknown>;

function invalid(name: string, expected: string): never {
  throw httpError('FAULTLINE_INVALID_QUERY', `Expected \`${name}\` to be ${expected}`);
}

/** Refuses a parameter the endpoint does not know (a typo would otherwise widen the answer silently). */
export function onlyParams(query: Query, known: readonly string[]): void {
  for (const name of Object.keys(query)) {
    if (!known.includes(name)) {
      const takes = known.length === 0 ? 'no parameters' : known.map((k) => `\`${k}\``).join(', ');
      throw httpError('FAULTLINE_INVALID_QUERY', `Unknown parameter \`${name}\`; this endpoint takes ${takes}`);
    }
  }
}

/**
 * A single string parameter (a repeated parameter is refused), or undefined when absent or empty. NULs and lone
 * surrogates become U+FFFD, as they do in the stored issues (see column-text.ts).
 */
export function stringParam(query: Query, name: string, maxLength = 200): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return invalid(name, 'given once');
  if (value.length > maxLength) return invalid(name, `at most ${maxLength} characters`);
  return columnText(value);
}

export function enumParam<T extends string>(query: Query, name: string, allowed: readonly T[]): T | undefined {
  const value = stringParam(query, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) return invalid(name, `one of ${allowed.join(', ')}`);
  return value as T;
}

export function intParam(query: Query, name: string, fallback: number, min: number, max: number): number {
  const value = stringParam(query, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) return invalid(name, `an integer from ${min} to ${max}`);
  return n;
}

// The last ms a Date can hold: beyond it, times cannot be written back as RFC 3339.
const MAX_TIME = 8.64e15;

// RFC 3339: a full date, or a date and time with seconds and an offset (a time without one would be read in the
// server's time zone).
const RFC3339 = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2}))?$/;

/** An RFC 3339 time or ms since the epoch, between 1970 and the year 275760. */
export function timeParam(query: Query, name: string): number | undefined {
  const value = stringParam(query, name, 40);
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : RFC3339.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > MAX_TIME - 31 * 86_400_000) {
    return invalid(name, 'an RFC 3339 time (2024-01-31T12:00:00Z) or ms since the epoch');
  }
  return n;
}

/** Issue ids are positive integers, sent as strings. */
export function isIssueId(id: string): boolean {
  return /^[1-9]\d{0,14}$/.test(id);
}

export function isEventId(id: string): boolean {
  return /^[0-9a-f]{32}$/.test(id);
}
