import { LIMITS } from '@faultline/sdk/schema';
import { normalizeObject, truncate } from '@faultline/sdk/interop';
import type { Level, ReportContext } from '@faultline/sdk/schema';

/** Fields shared by every converted report, cut to the report's limits the way the SDK cuts its own. */

const CONTEXT_LIMITS = { depth: LIMITS.contextDepth, bytes: LIMITS.contextBytes };
const DEFAULT_FINGERPRINT = /^\{\{\s*default\s*\}\}$/i;

/** A string within `max` characters (cut with the truncation marker), or undefined for anything but a non-empty string. */
export function text(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value !== '' ? truncate(value, max) : undefined;
}

/** A plain object from `value`, or undefined. */
export function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** `user`, `request` or `extra`: within the depth and serialized size a report allows (sensitive keys redacted). */
export function boundContext(value: unknown): Record<string, unknown> | undefined {
  if (value === null || value === undefined) return undefined;
  const out = normalizeObject(value, CONTEXT_LIMITS);
  return out === undefined || Object.keys(out).length === 0 ? undefined : out;
}

function tagValue(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      if (value === null) return undefined;
      try {
        return JSON.stringify(value);
      } catch {
        return undefined;
      }
    default:
      return undefined;
  }
}

/** Tags as the report wants them: string values (numbers and booleans stringified), at most `LIMITS.tags`, keys and values cut. */
export function boundTags(entries: Iterable<readonly [string, unknown]>): Record<string, string> {
  const tags: Record<string, string> = {};
  let count = 0;
  for (const [rawKey, rawValue] of entries) {
    if (count >= LIMITS.tags) break;
    const value = tagValue(rawValue);
    if (value === undefined || rawKey === '' || rawKey === '__proto__') continue;
    const key = truncate(rawKey, LIMITS.tagKeyChars);
    if (!Object.hasOwn(tags, key)) count++;
    tags[key] = truncate(value, LIMITS.tagValueChars);
  }
  return tags;
}

/** A report context from its parts; empty parts are left out. */
export function makeContext(tags: Record<string, string>, parts: { user?: unknown; request?: unknown; extra?: unknown }): ReportContext {
  const context: ReportContext = { tags };
  const user = boundContext(parts.user);
  const request = boundContext(parts.request);
  const extra = boundContext(parts.extra);
  if (user !== undefined) context.user = user;
  if (request !== undefined) context.request = request;
  if (extra !== undefined) context.extra = extra;
  return context;
}

/**
 * A grouping override from a list of parts: strings cut to their limit, `{{default}}` in any spacing written as
 * the report's `{{ default }}`; undefined when there is nothing to override with.
 */
export function boundFingerprint(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const parts: string[] = [];
  for (const part of value.slice(0, LIMITS.fingerprintParts)) {
    const raw = tagValue(part);
    if (raw === undefined) continue;
    parts.push(DEFAULT_FINGERPRINT.test(raw.trim()) ? '{{ default }}' : truncate(raw, LIMITS.fingerprintPartChars));
  }
  return parts.length > 0 ? parts : undefined;
}

const RFC3339_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/;

/**
 * RFC 3339 UTC with milliseconds from unix seconds (a number, or a numeric string) or an RFC 3339 date (a date
 * without an offset is UTC, as Sentry reads it); `fallbackMs` when the value is absent or not a date.
 */
export function toRfc3339(value: unknown, fallbackMs: number): string {
  let ms: number | undefined;
  if (typeof value === 'number') ms = value * 1000;
  else if (typeof value === 'string' && value.trim() !== '') {
    const s = value.trim();
    if (/^\d+(\.\d+)?$/.test(s)) ms = Number(s) * 1000;
    else ms = Date.parse(RFC3339_WITHOUT_OFFSET.test(s) ? `${s}Z` : s);
  }
  // Year 0 to 9999: what an RFC 3339 timestamp can write.
  if (ms === undefined || !Number.isFinite(ms) || ms < -62_167_219_200_000 || ms > 253_402_300_799_999) ms = fallbackMs;
  return new Date(Math.floor(ms)).toISOString();
}

/** Levels of other protocols mapped onto the report's four. */
export function toLevel(value: unknown, fallback: Level): Level {
  switch (typeof value === 'string' ? value.toLowerCase() : undefined) {
    case 'fatal':
    case 'critical':
      return 'fatal';
    case 'error':
      return 'error';
    case 'warning':
    case 'warn':
      return 'warning';
    case 'info':
    case 'log':
    case 'debug':
    case 'trace':
      return 'info';
    default:
      return fallback;
  }
}
