import { record } from '../report-fields.js';

/** An OTLP attribute value as plain JSON. */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

/** `obj[camel]`, else `obj[snake]`: OTLP JSON is lowerCamelCase, but some senders write the proto's snake_case. */
export function pick(obj: Record<string, unknown> | undefined, camel: string, snake: string): unknown {
  if (obj === undefined) return undefined;
  const value = obj[camel];
  return value === undefined ? obj[snake] : value;
}

/** A list field (`resourceSpans`, `events`, ...), or an empty list. */
export function list(obj: Record<string, unknown> | undefined, camel: string, snake = camel): Record<string, unknown>[] {
  const value = pick(obj, camel, snake);
  return Array.isArray(value) ? value.map(record).filter((v): v is Record<string, unknown> => v !== undefined) : [];
}

const MAX_VALUE_DEPTH = 8;

/** An `AnyValue` as JSON; int64 strings that fit a double become numbers. */
export function anyValue(value: unknown, depth = 0): AttributeValue | undefined {
  const v = record(value);
  if (v === undefined || depth > MAX_VALUE_DEPTH) return undefined;
  const s = pick(v, 'stringValue', 'string_value');
  if (typeof s === 'string') return s;
  const b = pick(v, 'boolValue', 'bool_value');
  if (typeof b === 'boolean') return b;
  const i = pick(v, 'intValue', 'int_value');
  if (typeof i === 'number') return i;
  if (typeof i === 'string' && /^-?\d+$/.test(i)) return Number.isSafeInteger(Number(i)) ? Number(i) : i;
  const d = pick(v, 'doubleValue', 'double_value');
  if (typeof d === 'number') return d;
  // Non-finite doubles are strings in OTLP JSON.
  if (typeof d === 'string') return d;
  const bytes = pick(v, 'bytesValue', 'bytes_value');
  if (typeof bytes === 'string') return bytes;
  const array = record(pick(v, 'arrayValue', 'array_value'));
  if (array !== undefined) {
    return list(array, 'values').map((item) => anyValue(item, depth + 1) ?? null);
  }
  const kvlist = record(pick(v, 'kvlistValue', 'kvlist_value'));
  if (kvlist !== undefined) return Object.fromEntries(attributes(list(kvlist, 'values'), depth + 1));
  return undefined;
}

/** `KeyValue[]` as a map; values that are not set are left out. */
export function attributes(value: unknown, depth = 0): Map<string, AttributeValue> {
  const out = new Map<string, AttributeValue>();
  if (!Array.isArray(value)) return out;
  for (const item of value) {
    const kv = record(item);
    if (kv === undefined || typeof kv.key !== 'string' || kv.key === '__proto__') continue;
    const v = anyValue(kv.value, depth);
    if (v !== undefined) out.set(kv.key, v);
  }
  return out;
}

/** A string attribute, or undefined. */
export function stringAttribute(attrs: ReadonlyMap<string, AttributeValue>, key: string): string | undefined {
  const value = attrs.get(key);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * A trace (16 bytes) or span (8 bytes) id as lowercase hex: OTLP JSON writes hex; protobuf bytes arrive base64. An
 * all-zero id means "none", as OTLP defines it.
 */
export function otlpId(value: unknown, bytes: 16 | 8): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  let hex: string | undefined;
  if (value.length === bytes * 2 && HEX.test(value)) hex = value.toLowerCase();
  else if (value.length === Math.ceil(bytes / 3) * 4 && BASE64.test(value)) {
    const raw = Buffer.from(value, 'base64');
    if (raw.length === bytes) hex = raw.toString('hex');
  }
  return hex === undefined || /^0+$/.test(hex) ? undefined : hex;
}

/** Unix nanoseconds (a decimal string or a number) as a decimal string, or undefined when absent or zero. */
export function unixNano(value: unknown): string | undefined {
  let s: string | undefined;
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) s = value.replace(/^0+(?=\d)/, '');
  else if (typeof value === 'number' && Number.isFinite(value) && value > 0) s = BigInt(Math.round(value)).toString();
  return s === undefined || s === '0' ? undefined : s;
}

/** Milliseconds since the epoch of a `unixNano` string. */
export function nanoToMs(nanos: string): number {
  return Number(BigInt(nanos) / 1_000_000n);
}
