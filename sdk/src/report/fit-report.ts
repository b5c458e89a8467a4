import { LIMITS, TRUNCATION_MARKER } from './limits.js';
import type { Report } from './schema.js';
import { truncate } from './truncate.js';

/** UTF-8 size of a JSON text; skips the count when even 3 bytes per UTF-16 unit would fit. */
function fits(json: string, maxBytes: number): boolean {
  return json.length * 3 <= maxBytes || Buffer.byteLength(json) <= maxBytes;
}

// Ways to shrink a report, least valuable information first: aggregated errors and causes go before the
// error's own frames and message. Each returns false when it has nothing left to take.
const shrinkSteps: ((r: Report) => boolean)[] = [
  (r) => halve(r, 'errors'),
  (r) => halve(r, 'causes'),
  (r) => halve(r, 'asyncStack'),
  (r) => dropContext(r, 'extra'),
  (r) => dropContext(r, 'request'),
  (r) => dropContext(r, 'user'),
  (r) => {
    if (r.stack === undefined || r.stack.length <= 4096) return false;
    r.stack = truncate(r.stack, 4096);
    return true;
  },
  (r) => {
    if (r.frames.length <= 10) return false;
    r.frames = r.frames.slice(0, Math.max(10, r.frames.length >> 1));
    return true;
  },
  (r) => {
    if (r.message.length <= 1024) return false;
    r.message = truncate(r.message, 1024);
    return true;
  },
  (r) => {
    if (r.stack === undefined) return false;
    delete r.stack;
    return true;
  },
];

function halve(r: Report, key: 'errors' | 'causes' | 'asyncStack'): boolean {
  const list = r[key];
  if (list === undefined) return false;
  if (list.length <= 1) delete r[key];
  else r[key] = list.slice(0, list.length >> 1) as never;
  return true;
}

function dropContext(r: Report, key: 'extra' | 'request' | 'user'): boolean {
  const value = r.context[key];
  if (value === undefined || value[TRUNCATION_MARKER] === true && Object.keys(value).length === 1) return false;
  r.context[key] = { [TRUNCATION_MARKER]: true };
  return true;
}

/** A serialized report, or why it could not be serialized (both are drop reasons). */
export type SerializedReport = { readonly json: string } | { readonly drop: 'too_large' | 'invalid' };

/**
 * The report as JSON within `LIMITS.reportBytes`: serialized once in the common case; a report that is too
 * large loses its aggregated errors and causes first, then other detail, until it fits (the report object is
 * changed accordingly). A report that cannot be serialized at all (a BigInt or a cycle put in by `beforeSend`)
 * is 'invalid'; one that does not fit even in its smallest form is 'too_large'. Never throws.
 */
export function serializeReport(report: Report, maxBytes: number = LIMITS.reportBytes): SerializedReport {
  try {
    let json = JSON.stringify(report);
    if (fits(json, maxBytes)) return { json };
    for (const step of shrinkSteps) {
      while (step(report)) {
        json = JSON.stringify(report);
        if (fits(json, maxBytes)) return { json };
      }
    }
    return { drop: 'too_large' };
  } catch {
    return { drop: 'invalid' };
  }
}
