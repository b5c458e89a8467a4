import type { ScopeData } from '../scope/scope-data.js';
import { LIMITS } from './limits.js';
import { normalizeObject } from './normalize.js';
import { isSensitiveKey, REDACTED } from './redact.js';
import type { ReportContext } from './schema.js';
import { safeString, truncate } from './truncate.js';

const OBJECT_LIMITS = { depth: LIMITS.contextDepth, bytes: LIMITS.contextBytes } as const;

/**
 * A report's `context` from a scope plus per-capture tags (which win): tags as strings within their limits,
 * `user`/`request`/`extra` as JSON-safe objects cut at depth and size, sensitive keys redacted throughout.
 */
export function buildContext(scope: ScopeData | undefined, tags?: Readonly<Record<string, unknown>>): ReportContext {
  const context: ReportContext = { tags: buildTags(scope?.tags, tags) };
  if (scope === undefined) return context;
  const user = normalizeObject(scope.user, OBJECT_LIMITS);
  if (user !== undefined) context.user = user;
  const request = normalizeObject(scope.request, OBJECT_LIMITS);
  if (request !== undefined) context.request = request;
  const extra = normalizeObject(scope.extra, OBJECT_LIMITS);
  if (extra !== undefined) context.extra = extra;
  return context;
}

/**
 * Cuts `user`, `request` and `extra` of a context someone else filled (a `beforeSend` hook) to the same depth
 * and size as `buildContext` does, so the collector's limits never reject the report for them.
 */
export function boundContextObjects(context: ReportContext): void {
  for (const part of ['user', 'request', 'extra'] as const) {
    if (context[part] === undefined) continue;
    const bounded = normalizeObject(context[part], OBJECT_LIMITS);
    if (bounded === undefined) delete context[part];
    else context[part] = bounded;
  }
}

function buildTags(
  base: Readonly<Record<string, unknown>> | undefined,
  more: Readonly<Record<string, unknown>> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  let count = 0;
  for (const source of [more, base]) {
    if (source === undefined || source === null || typeof source !== 'object') continue;
    let keys: string[];
    try {
      keys = Object.keys(source);
    } catch {
      continue;
    }
    for (const rawKey of keys) {
      if (count >= LIMITS.tags) return out;
      const key = truncate(rawKey, LIMITS.tagKeyChars);
      if (Object.prototype.hasOwnProperty.call(out, key)) continue;
      let value: string;
      if (isSensitiveKey(rawKey)) value = REDACTED;
      else {
        let raw: unknown;
        try {
          raw = source[rawKey];
        } catch {
          raw = '[Getter threw]';
        }
        if (raw === undefined) continue;
        value = truncate(safeString(raw), LIMITS.tagValueChars);
      }
      if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
      count++;
    }
  }
  return out;
}
