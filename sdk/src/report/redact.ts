/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

// Matched anywhere in the key, any case, with `-`, `_`, `.` or a space allowed between words: `x-api-key`,
// `API Key`, `refreshToken`, `Set-Cookie`, `db_password`, `pass word`, `clientSecret`.
const SENSITIVE_KEY = /pass[-_.\s]?w(?:or)?d|secret|token|authori[sz]ation|cookie|api[-_.\s]?key/i;

/** True when values under `key` must not leave the process (passwords, secrets, tokens, cookies, API keys). */
export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

// Keys whose string value is a URL (`request.url`, `href`, a `Referer` header) or a query string on its own (`query_string`).
const URL_KEY = /^(?:url|href|uri|referr?er|location)$/i;
const QUERY_KEY = /^(?:query|query[-_]?string|search)$/i;
// One `name=value` of a query string (`?`, `&` or `;` before it), up to the next separator or fragment.
const QUERY_PARAM = /([?&;]|^)([^=&#;?]+)=([^&#;]*)/g;

/**
 * `value` with the values of sensitive query parameters (`?access_token=…`, `&api_key=…`) replaced by
 * `[redacted]`, when `key` names a URL or a query string; anything else unchanged.
 */
export function redactUrlValue(key: string, value: string): string {
  if (!value.includes('=')) return value;
  const from = QUERY_KEY.test(key) ? 0 : URL_KEY.test(key) ? value.indexOf('?') : -1;
  if (from < 0) return value;
  const query = value.slice(from).replace(QUERY_PARAM, (whole, sep: string, name: string) =>
    isSensitiveKey(decodeName(name)) ? `${sep}${name}=${REDACTED}` : whole,
  );
  return value.slice(0, from) + query;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}
