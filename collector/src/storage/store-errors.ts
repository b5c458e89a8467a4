/**
 * Whether a failed write was refused because of what it tried to store, so that storing less (one request, one
 * report) may succeed, as opposed to a store that is unavailable (down, busy, out of disk), where every write
 * would fail alike and the caller should retry later.
 */
export function isDataError(error: unknown): boolean {
  // Our own code tripping over a value it did not expect.
  if (error instanceof TypeError || error instanceof RangeError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  // PostgreSQL SQLSTATE classes: 22 data exception (a NUL in text, bad encoding, a value out of range),
  // 23 integrity constraint violation, 54 program limit exceeded (an index row too large).
  if (/^(?:22|23|54)[0-9A-Z]{3}$/.test(code)) return true;
  // better-sqlite3's SqliteError codes.
  return code === 'SQLITE_TOOBIG' || code === 'SQLITE_MISMATCH' || code === 'SQLITE_RANGE' || code.startsWith('SQLITE_CONSTRAINT');
}
