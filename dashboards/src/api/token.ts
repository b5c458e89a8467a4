// The read token is kept in localStorage so the UI asks for it once per browser, not once per tab.
// When storage is unavailable (disabled, sandboxed frame) it lives in memory for this page only.
const KEY = 'faultline.readToken';
let memoryToken: string | undefined;

/** The token to send as `Authorization: Bearer`, if one was entered. */
export function currentToken(): string | undefined {
  try {
    return localStorage.getItem(KEY) ?? memoryToken;
  } catch {
    return memoryToken;
  }
}

export function saveToken(token: string): void {
  memoryToken = token;
  try {
    localStorage.setItem(KEY, token);
  } catch {
    // kept in memory only
  }
}

export function forgetToken(): void {
  memoryToken = undefined;
  try {
    localStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}
