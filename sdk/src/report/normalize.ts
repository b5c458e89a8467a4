import { TRUNCATION_MARKER } from './limits.js';
import { isSensitiveKey, REDACTED, redactUrlValue } from './redact.js';
import { safeString, truncate } from './truncate.js';

export interface NormalizeLimits {
  /** Objects nested deeper than this become a short description (`[Object]`, `[Array]`). */
  readonly depth: number;
  /** Serialized (JSON, UTF-8) size the result stays within. */
  readonly bytes: number;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// Room kept so the markers that say "cut here" (one per open level) always fit in the budget.
const MARKER_RESERVE_PER_LEVEL = 24;

interface Walk {
  remaining: number;
  exhausted: boolean;
  readonly maxDepth: number;
  readonly ancestors: Set<object>;
}

/**
 * Turns any value into a JSON-safe object within `limits`, redacting sensitive keys. Never throws: circular
 * references, BigInt, Symbols, functions, getters that throw and hostile proxies all become strings.
 * A value that is not an object is wrapped as `{ value }`. Returns undefined for null/undefined.
 */
export function normalizeObject(value: unknown, limits: NormalizeLimits): Record<string, Json> | undefined {
  if (value === null || value === undefined) return undefined;
  const walk: Walk = {
    remaining: limits.bytes - MARKER_RESERVE_PER_LEVEL * (limits.depth + 1),
    exhausted: false,
    maxDepth: limits.depth,
    ancestors: new Set(),
  };
  const out = normalize(value, 1, walk);
  if (out !== null && typeof out === 'object' && !Array.isArray(out)) return out;
  return { value: out ?? null };
}

function jsonBytes(s: string): number {
  // Quotes plus escapes plus multi-byte characters; exact, since budgets are promised to the collector.
  return Buffer.byteLength(JSON.stringify(s));
}

function fitString(s: string, walk: Walk): string | undefined {
  const bytes = jsonBytes(s);
  if (bytes <= walk.remaining) {
    walk.remaining -= bytes;
    return s;
  }
  // Cut to the room left; multi-byte text may need a second, shorter cut.
  let chars = Math.min(s.length, walk.remaining - 2);
  while (chars > TRUNCATION_MARKER.length) {
    const cut = truncate(s, chars);
    const cutBytes = jsonBytes(cut);
    if (cutBytes <= walk.remaining) {
      walk.remaining -= cutBytes;
      walk.exhausted = true;
      return cut;
    }
    chars = Math.floor(chars * (walk.remaining / cutBytes)) - 1;
  }
  walk.exhausted = true;
  return undefined;
}

function normalize(value: unknown, depth: number, walk: Walk): Json | undefined {
  switch (typeof value) {
    case 'string':
      return fitString(value, walk);
    case 'number':
      return Number.isFinite(value) ? spend(value, walk) : fitString(String(value), walk);
    case 'boolean':
      return spend(value, walk);
    case 'bigint':
      return fitString(`${value.toString()}n`, walk);
    case 'symbol':
      return fitString(value.toString(), walk);
    case 'function':
      return fitString(`[Function ${readName(value)}]`, walk);
    case 'undefined':
      return undefined;
    case 'object':
      break;
    default:
      return fitString(safeString(value), walk);
  }
  if (value === null) return spend(null, walk);
  if (walk.ancestors.has(value)) return fitString('[Circular]', walk);
  const kind = classify(value);
  if (typeof kind === 'object') return fitString(kind.text, walk);
  if (depth > walk.maxDepth) return fitString(kind === 'array' || kind === 'set' ? '[Array]' : '[Object]', walk);
  if (walk.remaining < 2) {
    walk.exhausted = true;
    return undefined;
  }
  walk.remaining -= 2;
  walk.ancestors.add(value);
  try {
    if (kind === 'array') return normalizeArray(value as unknown[], depth, walk);
    if (kind === 'map') return normalizeEntries(safeMapEntries(value as Map<unknown, unknown>), depth, walk);
    if (kind === 'set') return normalizeArray(safeSetValues(value as Set<unknown>), depth, walk);
    return normalizeEntries(objectEntries(value), depth, walk);
  } finally {
    walk.ancestors.delete(value);
  }
}

function spend<T extends number | boolean | null>(value: T, walk: Walk): T | undefined {
  const bytes = value === null ? 4 : String(value).length;
  if (bytes > walk.remaining) {
    walk.exhausted = true;
    return undefined;
  }
  walk.remaining -= bytes;
  return value;
}

function normalizeArray(items: readonly unknown[] | Iterable<unknown>, depth: number, walk: Walk): Json[] {
  const out: Json[] = [];
  for (const item of items) {
    if (walk.exhausted) break;
    const v = normalize(item, depth + 1, walk);
    if (walk.exhausted && v === undefined) break;
    out.push(v ?? null);
    walk.remaining -= 1;
  }
  if (walk.exhausted) {
    out.push(TRUNCATION_MARKER);
    walk.remaining = Math.min(walk.remaining, 0);
  }
  return out;
}

/** Entries read one by one so a throwing getter spoils only its own value. */
function* objectEntries(obj: object): Generator<[string, () => unknown]> {
  let keys: string[];
  try {
    keys = Object.keys(obj);
  } catch {
    return;
  }
  for (const key of keys) yield [key, () => (obj as Record<string, unknown>)[key]];
}

function* safeMapEntries(map: Map<unknown, unknown>): Generator<[string, () => unknown]> {
  try {
    for (const [k, v] of map) yield [safeString(k), () => v];
  } catch {
    // A subclass with a throwing iterator: keep what was read.
  }
}

function safeSetValues(set: Set<unknown>): unknown[] {
  const out: unknown[] = [];
  try {
    for (const v of set) out.push(v);
  } catch {
    // As above.
  }
  return out;
}

function normalizeEntries(entries: Iterable<[string, () => unknown]>, depth: number, walk: Walk): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [key, read] of entries) {
    if (walk.exhausted) break;
    const keyBytes = jsonBytes(key) + 2;
    if (keyBytes > walk.remaining) {
      walk.exhausted = true;
      break;
    }
    let v: Json | undefined;
    if (isSensitiveKey(key)) {
      v = REDACTED;
      walk.remaining -= keyBytes + REDACTED.length + 2;
    } else {
      let raw: unknown;
      try {
        raw = read();
      } catch {
        raw = '[Getter threw]';
      }
      if (raw === undefined) continue;
      if (typeof raw === 'string') raw = redactUrlValue(key, raw);
      walk.remaining -= keyBytes;
      v = normalize(raw, depth + 1, walk);
      if (v === undefined) {
        walk.remaining += keyBytes;
        if (walk.exhausted) break;
        continue;
      }
    }
    defineEntry(out, key, v);
  }
  if (walk.exhausted) {
    defineEntry(out, TRUNCATION_MARKER, true);
    walk.remaining = Math.min(walk.remaining, 0);
  }
  return out;
}

// `__proto__` as a data key must stay data, not reset the prototype of the output.
function defineEntry(out: Record<string, Json>, key: string, value: Json): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

function readName(fn: object): string {
  try {
    const name = (fn as { name?: unknown }).name;
    return typeof name === 'string' && name !== '' ? name : 'anonymous';
  } catch {
    return 'anonymous';
  }
}

/**
 * How an object is walked: as an array, map, set or plain object, or replaced by one string (dates, errors,
 * buffers...). Hostile proxies, whose traps throw, are 'unreadable'.
 */
function classify(value: object): 'array' | 'map' | 'set' | 'object' | { text: string } {
  const text = describe(value);
  if (text !== undefined) return { text };
  try {
    if (Array.isArray(value)) return 'array';
    if (value instanceof Map) return 'map';
    if (value instanceof Set) return 'set';
  } catch {
    return { text: '[Unreadable]' };
  }
  return 'object';
}

function describe(value: object): string | undefined {
  try {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    if (value instanceof Error) return `${safeString(value.name)}: ${safeString(value.message)}`;
    if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
    if (value instanceof ArrayBuffer) return `[ArrayBuffer ${value.byteLength} bytes]`;
    if (value instanceof URL) return value.href;
    if (value instanceof RegExp) return value.toString();
    if (value instanceof WeakMap || value instanceof WeakSet) return `[${value.constructor.name}]`;
    if (value instanceof Promise) return '[Promise]';
    return undefined;
  } catch {
    return '[Unreadable]';
  }
}
