import { TRUNCATION_MARKER } from './limits.js';

/**
 * Cuts `value` to at most `maxChars` UTF-16 units, the marker included, without splitting a surrogate pair.
 * Strings within the limit are returned as they are.
 */
export function truncate(value: string, maxChars: number): string {
  if (value.length <= maxChars) return value;
  if (maxChars <= TRUNCATION_MARKER.length) return TRUNCATION_MARKER.slice(0, Math.max(0, maxChars));
  let end = maxChars - TRUNCATION_MARKER.length;
  const last = value.charCodeAt(end - 1);
  // A high surrogate at the cut would be left without its pair.
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return value.slice(0, end) + TRUNCATION_MARKER;
}

/** `truncate` for values that should be strings but may be anything at run time. */
export function truncateAny(value: unknown, maxChars: number): string {
  return truncate(typeof value === 'string' ? value : safeString(value), maxChars);
}

/** `String(value)` that never throws (Symbols, objects whose toString throws, revoked proxies). */
export function safeString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'symbol') return value.toString();
  try {
    return String(value);
  } catch {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return '[unprintable]';
    }
  }
}
