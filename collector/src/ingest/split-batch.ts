// Splits a batch body `{ "reports": [ ... ], ... }` into the text of each report without parsing it as a
// whole, so each report is stored as the client sent it instead of being serialized again (JSON.stringify was
// a tenth of the ingest CPU). Each piece is still parsed with JSON.parse: the scanner only finds boundaries, and
// any body it does not understand falls back to JSON.parse of the whole.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Index after the string starting at `i` (a quote), or -1. */
function skipString(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const end = text.indexOf('"', j);
    if (end === -1) return -1;
    let backslashes = 0;
    for (let k = end - 1; k > i && text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return end + 1;
    j = end + 1;
  }
}

/** Index after the JSON value starting at `i`, or -1. Nesting is tracked with a counter, not recursion. */
function skipValue(text: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === QUOTE) {
      j = skipString(text, j);
      if (j === -1) return -1;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      j++;
    } else if (c === 0x7d || c === 0x5d) {
      if (depth === 0) return j;
      depth--;
      j++;
    } else if (depth === 0 && (c === 0x2c || isSpace(c))) {
      return j;
    } else {
      j++;
    }
    if (depth === 0 && (c === QUOTE || c === 0x7d || c === 0x5d)) return j;
  }
  return depth === 0 ? j : -1;
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export interface SplitBatch {
  /** Each report's JSON text, in order. */
  reports: string[];
  /** The other top-level members, parsed. */
  rest: Record<string, unknown>;
}

/**
 * The pieces of a batch body, or undefined when the body is not an object whose `reports` is an array, or is
 * not valid JSON outside the reports (the caller then parses it whole, for a precise error). Never throws.
 */
export function splitBatch(text: string): SplitBatch | undefined {
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== 0x7b) return undefined;
  i = skipSpace(text, i + 1);
  let reports: string[] | undefined;
  const rest: Record<string, unknown> = {};
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return undefined;
    const keyEnd = skipString(text, i);
    if (keyEnd === -1) return undefined;
    const key = parseOrUndefined(text.slice(i, keyEnd));
    if (typeof key !== 'string') return undefined;
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== 0x3a) return undefined;
    i = skipSpace(text, i + 1);
    if (key === 'reports' && reports === undefined) {
      if (text.charCodeAt(i) !== 0x5b) return undefined;
      reports = [];
      i = skipSpace(text, i + 1);
      if (text.charCodeAt(i) === 0x5d) i++;
      else {
        for (;;) {
          const end = skipValue(text, i);
          if (end === -1 || end === i) return undefined;
          reports.push(text.slice(i, end));
          i = skipSpace(text, end);
          const c = text.charCodeAt(i);
          i = skipSpace(text, i + 1);
          if (c === 0x5d) break;
          if (c !== 0x2c) return undefined;
        }
      }
      i = skipSpace(text, i);
    } else {
      // A repeated `reports` or a `__proto__` member: let JSON.parse decide, as it would for the whole body.
      if (key === 'reports' || key === '__proto__') return undefined;
      const end = skipValue(text, i);
      if (end === -1 || end === i) return undefined;
      const value = parseOrUndefined(text.slice(i, end));
      if (value === undefined) return undefined;
      rest[key] = value;
      i = skipSpace(text, end);
    }
    const c = text.charCodeAt(i);
    if (c === 0x7d) break;
    if (c !== 0x2c) return undefined;
    i = skipSpace(text, i + 1);
  }
  if (skipSpace(text, i + 1) !== text.length || reports === undefined) return undefined;
  return { reports, rest };
}
