import { httpError } from '../errors.js';

// Sort keys (times, counts) and numeric ids are integers; string tiebreaks are report ids or row numbers.
const EVENT_ID = /^[0-9a-f]{1,32}$/;

/** An opaque page position: the sort key and id of the last item of the previous page. */
export function encodeCursor(kind: string, value: number, id: number | string): string {
  return Buffer.from(JSON.stringify([kind, value, id])).toString('base64url');
}

export function decodeCursor<Id extends number | string>(cursor: string, kind: string, idType: 'number' | 'string'): { value: number; id: Id } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    Array.isArray(parsed) &&
    parsed.length === 3 &&
    parsed[0] === kind &&
    Number.isSafeInteger(parsed[1]) &&
    typeof parsed[2] === idType &&
    (idType === 'string' ? EVENT_ID.test(parsed[2] as string) : Number.isSafeInteger(parsed[2]))
  ) {
    return { value: parsed[1] as number, id: parsed[2] as Id };
  }
  throw httpError('FAULTLINE_INVALID_CURSOR', '`cursor` is not a cursor returned by this endpoint with the same sort');
}
