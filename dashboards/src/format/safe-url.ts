/**
 * `value` as an absolute http(s) URL fit for an `href`, or undefined. Report data is never put in an href
 * otherwise: `javascript:`, `data:` and relative URLs render as plain text.
 */
export function safeHttpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}
