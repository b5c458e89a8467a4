import { httpError } from '../errors.js';

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
    typeof parsed[1] === 'number' &&
    Number.isFinite(parsed[1]) &&
    typeof parsed[2] === idType &&
    (idType === 'string' || Number.isSafeInteger(parsed[2]))
  ) {
    return { value: parsed[1], id: parsed[2] as Id };
  }
  throw httpError('FAULTLINE_INVALID_CURSOR', '`cursor` is not a cursor returned by this endpoint with the same sort');
}
