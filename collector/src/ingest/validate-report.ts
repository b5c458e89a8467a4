import { TypeCompiler } from '@sinclair/typebox/compiler';
import { LIMITS, ReportSchema, type Report } from '@faultline/sdk/schema';

/** Largest serialized report accepted (the SDK keeps its reports within 256 KiB). */
export const MAX_REPORT_BYTES = 1024 * 1024;

// Compiled once at load: validation is the hot path of ingest.
const checkReport = TypeCompiler.Compile(ReportSchema);

export type Validation = { ok: true; report: Report; json: string; timestamp: number } | { ok: false; error: string };

/** Pointer of the deepest object nested beyond `maxDepth` levels (the root object is level 1), or undefined. */
function tooDeep(value: unknown, depth: number, maxDepth: number, path: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (depth > maxDepth) return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = tooDeep(value[i], depth + 1, maxDepth, `${path}/${i}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const found = tooDeep((value as Record<string, unknown>)[key], depth + 1, maxDepth, `${path}/${escapePointer(key)}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

function escapePointer(key: string): string {
  const escaped = key.replace(/~/g, '~0').replace(/\//g, '~1');
  return escaped.length > 64 ? `${escaped.slice(0, 64)}…` : escaped;
}

const DIGIT_0 = 0x30;

function twoDigits(text: string, at: number): number {
  return (text.charCodeAt(at) - DIGIT_0) * 10 + (text.charCodeAt(at + 1) - DIGIT_0);
}

/**
 * ms since the epoch of a time already matching the schema's pattern (`YYYY-MM-DDTHH:MM:SS...`), or undefined
 * for an impossible date: Date.parse would roll February 31 over into March.
 */
function parseTimestamp(text: string): number | undefined {
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  if (month < 1 || month > 12 || day < 1 || twoDigits(text, 11) > 23 || twoDigits(text, 14) > 59 || twoDigits(text, 17) > 59) return undefined;
  if (day > 28) {
    const year = Number(text.slice(0, 4));
    if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Checks one report against the SDK's schema (schema 1) and the collector's limits. The error names the field
 * as a JSON pointer: `/frames/0/line: Expected integer`. `text` is the report's JSON as received, if known.
 */
export function validateReport(value: unknown, text?: string): Validation {
  if (!checkReport.Check(value)) {
    const first = checkReport.Errors(value).First();
    const path = first?.path === undefined || first.path === '' ? '/' : first.path;
    return { ok: false, error: `${path}: ${first?.message ?? 'invalid report'}` };
  }
  const report = value;
  const timestamp = parseTimestamp(report.timestamp);
  if (timestamp === undefined) return { ok: false, error: `/timestamp: not a valid date: ${report.timestamp}` };
  // A part serializes to at most the bytes it took in the report's text: a short report needs no size count.
  const measure = text === undefined || text.length * 3 > LIMITS.contextBytes;
  for (const field of ['user', 'request', 'extra'] as const) {
    const part = report.context[field];
    if (part === undefined) continue;
    const deep = tooDeep(part, 1, LIMITS.contextDepth, `/context/${field}`);
    if (deep !== undefined) return { ok: false, error: `${deep}: nested deeper than ${LIMITS.contextDepth} levels` };
    if (!measure) continue;
    const bytes = Buffer.byteLength(JSON.stringify(part));
    if (bytes > LIMITS.contextBytes) {
      return { ok: false, error: `/context/${field}: ${bytes} bytes serialized, the limit is ${LIMITS.contextBytes}` };
    }
  }
  // The text the client sent, when the caller kept it, is stored as is: serializing again costs more.
  const json = text ?? JSON.stringify(report);
  // A UTF-8 byte count is only needed when the character count could exceed the limit.
  if (json.length * 3 > MAX_REPORT_BYTES) {
    const bytes = Buffer.byteLength(json);
    if (bytes > MAX_REPORT_BYTES) return { ok: false, error: `/: report is ${bytes} bytes, the limit is ${MAX_REPORT_BYTES}` };
  }
  return { ok: true, report, json, timestamp };
}
