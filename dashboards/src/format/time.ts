import type { Instant } from '../api/types.js';

/** Epoch milliseconds of an API time (RFC 3339 text or a number); NaN when unreadable. */
export function toMillis(t: Instant): number {
  return typeof t === 'number' ? t : Date.parse(t);
}

const UNITS: [limit: number, divisor: number, unit: string][] = [
  [60_000, 1000, 's'],
  [3_600_000, 60_000, 'min'],
  [86_400_000, 3_600_000, 'h'],
  [30 * 86_400_000, 86_400_000, 'd'],
  [365 * 86_400_000, 30 * 86_400_000, 'mo'],
  [Infinity, 365 * 86_400_000, 'y'],
];

/** "just now", "5 min ago", "3 d ago"; a time in the future (clock skew) reads as "just now". */
export function relativeTime(t: Instant, now = Date.now()): string {
  const ms = toMillis(t);
  if (Number.isNaN(ms)) return 'unknown';
  const age = now - ms;
  if (age < 5000) return 'just now';
  for (const [limit, divisor, unit] of UNITS) {
    if (age < limit) return `${Math.floor(age / divisor)} ${unit} ago`;
  }
  return 'long ago';
}

/** Local date and time to the second, for tooltips and event headers. */
export function absoluteTime(t: Instant): string {
  const ms = toMillis(t);
  if (Number.isNaN(ms)) return String(t);
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Thousands separators, and "1.2M" past a million so columns stay narrow. */
export function formatCount(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(n >= 10_000_000 ? 0 : 1)}M`;
  return n.toLocaleString('en-US');
}
