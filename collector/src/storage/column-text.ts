/** A NUL or a lone surrogate: text PostgreSQL refuses (and SQLite's string functions stop at a NUL). */
// eslint-disable-next-line no-control-regex -- the NUL is what this looks for
const UNSTORABLE = /[\u0000\ud800-\udfff]/;

/**
 * Text for an indexed column (service, environment, type, message, title, culprit): NULs and lone surrogates
 * become U+FFFD, so both stores keep the same value and no report's text can fail a transaction. The stored
 * report itself stays verbatim (its JSON escapes them).
 */
export function columnText(text: string): string {
  if (!UNSTORABLE.test(text) || (text.isWellFormed() && !text.includes('\u0000'))) return text;
  return text.toWellFormed().replaceAll('\u0000', '\ufffd');
}
