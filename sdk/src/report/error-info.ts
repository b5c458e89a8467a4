import { types, inspect } from 'node:util';
import { safeString } from './truncate.js';

/** Reads a property without letting a throwing getter or proxy trap escape. */
export function safeGet(target: object, key: string): unknown {
  try {
    return (target as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** An Error, from this realm or another (vm contexts), or an object shaped like one (`message` and `stack`). */
export function isErrorLike(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  try {
    // A proxy's getPrototypeOf trap may throw here.
    if (value instanceof Error || types.isNativeError(value)) return true;
  } catch {
    return false;
  }
  return typeof safeGet(value, 'message') === 'string' && typeof safeGet(value, 'stack') === 'string';
}

/** The type name reported for an error: its `name`, or its class name when `name` was left as `Error`. */
export function errorType(error: object): string {
  const name = safeGet(error, 'name');
  const ctor = constructorName(error);
  if (typeof name === 'string' && name !== '') {
    if (name === 'Error' && ctor !== undefined && ctor !== 'Error' && ctor !== 'Object') return ctor;
    return name;
  }
  return ctor ?? 'Error';
}

function constructorName(value: object): string | undefined {
  try {
    const ctor = (value as { constructor?: { name?: unknown } }).constructor;
    const name = ctor?.name;
    return typeof name === 'string' && name !== '' ? name : undefined;
  } catch {
    return undefined;
  }
}

/** `err.code` as a string, if it is a string or a number. */
export function errorCode(error: object): string | undefined {
  const code = safeGet(error, 'code');
  if (typeof code === 'string') return code;
  if (typeof code === 'number' || typeof code === 'bigint') return String(code);
  return undefined;
}

/** The type given to values thrown or passed in place of an Error (`throw 'x'`, `reject({ ... })`). */
export const NON_ERROR_TYPE = 'NonError';

/** A one-line description of a thrown value that is not an Error. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return inspect(value, { depth: 2, breakLength: Infinity, maxArrayLength: 20, maxStringLength: 2000, compact: true });
  } catch {
    return safeString(value);
  }
}
