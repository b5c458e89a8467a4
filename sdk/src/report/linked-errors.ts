import { describeValue, errorCode, errorType, isErrorLike, NON_ERROR_TYPE, safeGet } from './error-info.js';
import { LIMITS } from './limits.js';
import type { LinkedError } from './schema.js';
import { parseStack } from './stack-frames.js';
import { truncate } from './truncate.js';

/** The `Error.cause` chain below `error`, at most `LIMITS.causes` deep; stops at a cycle. */
export function causeChain(error: object): LinkedError[] | undefined {
  const seen = new Set<unknown>([error]);
  const out: LinkedError[] = [];
  let current: object = error;
  while (out.length < LIMITS.causes) {
    if (!hasOwnOrInherited(current, 'cause')) break;
    const cause = safeGet(current, 'cause');
    if (cause === undefined || seen.has(cause)) break;
    seen.add(cause);
    out.push(linkedError(cause));
    if (cause === null || typeof cause !== 'object') break;
    current = cause;
  }
  return out.length > 0 ? out : undefined;
}

/** Members of an `AggregateError` (or a `GroupError`, or anything with an `errors` array), at most `LIMITS.aggregatedErrors`. */
export function aggregatedErrors(error: object): LinkedError[] | undefined {
  const members = safeGet(error, 'errors');
  const out: LinkedError[] = [];
  // A Proxy can throw from the array check, the length or any index: what was read before that is kept.
  try {
    if (!Array.isArray(members)) return undefined;
    const n = Math.min(members.length, LIMITS.aggregatedErrors);
    for (let i = 0; i < n; i++) out.push(linkedError(members[i] as unknown));
  } catch {
    // The rest is unreadable.
  }
  return out.length > 0 ? out : undefined;
}

/** One linked error: type, message, code and frames of an Error, or a description of any other value. */
export function linkedError(value: unknown): LinkedError {
  if (!isErrorLike(value)) {
    return { type: NON_ERROR_TYPE, message: truncate(describeValue(value), LIMITS.messageChars), frames: [] };
  }
  const type = errorType(value);
  const rawMessage = safeGet(value, 'message');
  const message = typeof rawMessage === 'string' ? rawMessage : describeValue(rawMessage ?? '');
  const stack = safeGet(value, 'stack');
  const out: LinkedError = {
    type: truncate(type, LIMITS.typeChars),
    message: truncate(message, LIMITS.messageChars),
    frames: typeof stack === 'string' ? parseStack(stack, stackHeader(value, message)).slice() : [],
  };
  const code = errorCode(value);
  if (code !== undefined) out.code = truncate(code, LIMITS.codeChars);
  return out;
}

/** The first line(s) V8 wrote at the top of the stack: `Name: message`, `Name` or `message`. */
export function stackHeader(error: object, message: string): string {
  const name = safeGet(error, 'name');
  const n = typeof name === 'string' ? name : 'Error';
  if (message === '') return n;
  if (n === '') return message;
  return `${n}: ${message}`;
}

function hasOwnOrInherited(target: object, key: string): boolean {
  try {
    return key in target;
  } catch {
    return false;
  }
}
