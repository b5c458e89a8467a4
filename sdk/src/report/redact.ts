/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

// Matched anywhere in the key, any case, with `-`, `_`, `.` or a space allowed between words: `x-api-key`,
// `API Key`, `refreshToken`, `Set-Cookie`, `db_password`, `pass word`, `clientSecret`.
const SENSITIVE_KEY = /pass[-_.\s]?w(?:or)?d|secret|token|authori[sz]ation|cookie|api[-_.\s]?key/i;

/** True when values under `key` must not leave the process (passwords, secrets, tokens, cookies, API keys). */
export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}
