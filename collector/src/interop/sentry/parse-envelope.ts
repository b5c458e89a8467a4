import { httpError } from '../../errors.js';
import { record } from '../report-fields.js';

/** One item of a Sentry envelope: its header (`type`, optional `length`, ...) and its payload bytes. */
export interface EnvelopeItem {
  type: string;
  header: Record<string, unknown>;
  payload: Buffer;
}

export interface Envelope {
  header: Record<string, unknown>;
  items: EnvelopeItem[];
}

/** Items read from one envelope at most (Sentry's SDKs send a handful). */
export const MAX_ENVELOPE_ITEMS = 1000;

const NEWLINE = 0x0a;

function invalid(message: string) {
  return httpError('FAULTLINE_INVALID_ENVELOPE', `Invalid Sentry envelope: ${message}`);
}

function lineEnd(body: Buffer, from: number): number {
  const end = body.indexOf(NEWLINE, from);
  return end === -1 ? body.length : end;
}

function jsonLine(body: Buffer, start: number, end: number, what: string): Record<string, unknown> {
  // A CRLF line ending is tolerated.
  const stop = end > start && body[end - 1] === 0x0d ? end - 1 : end;
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8', start, stop));
  } catch (error) {
    throw invalid(`${what} is not valid JSON (${(error as Error).message})`);
  }
  const object = record(value);
  if (object === undefined) throw invalid(`${what} must be a JSON object`);
  return object;
}

/**
 * Splits a Sentry envelope: a header line, then items, each a header line and a payload that is either `length`
 * bytes (then an optional newline) or the rest of the line. Blank lines between items are skipped. Throws a
 * `CollectorHttpError` (`FAULTLINE_INVALID_ENVELOPE`, 400) naming the item at fault.
 */
export function parseEnvelope(body: Buffer): Envelope {
  if (body.length === 0) throw invalid('the body is empty');
  let end = lineEnd(body, 0);
  const header = jsonLine(body, 0, end, 'the envelope header (line 1)');
  const items: EnvelopeItem[] = [];
  let pos = end + 1;
  while (pos < body.length) {
    end = lineEnd(body, pos);
    if (end === pos || (end === pos + 1 && body[pos] === 0x0d)) {
      pos = end + 1;
      continue;
    }
    const n = items.length + 1;
    if (n > MAX_ENVELOPE_ITEMS) throw invalid(`more than ${MAX_ENVELOPE_ITEMS} items`);
    const itemHeader = jsonLine(body, pos, end, `the header of item ${n}`);
    const type = itemHeader.type;
    if (typeof type !== 'string' || type === '') throw invalid(`item ${n} has no "type" in its header`);
    pos = end + 1;
    const length = itemHeader.length;
    let payload: Buffer;
    if (length === undefined || length === null) {
      end = pos >= body.length ? body.length : lineEnd(body, pos);
      payload = body.subarray(Math.min(pos, body.length), end);
      pos = end + 1;
    } else {
      if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) {
        throw invalid(`item ${n} ("${type}") has a "length" that is not a non-negative integer`);
      }
      if (pos + length > body.length) {
        throw invalid(`item ${n} ("${type}") declares ${length} bytes but ${Math.max(0, body.length - pos)} follow`);
      }
      payload = body.subarray(pos, pos + length);
      pos += length;
      if (pos < body.length) {
        if (body[pos] !== NEWLINE) throw invalid(`item ${n} ("${type}") is not followed by a newline after its ${length} bytes`);
        pos++;
      }
    }
    items.push({ type, header: itemHeader, payload });
  }
  return { header, items };
}
