import { validateHeaderName, validateHeaderValue } from 'node:http';

/** The `otlp` option of `init`: also (or only) send each report as an OTLP log record. */
export interface OtlpOptions {
  /**
   * OTLP/HTTP base URL (an OpenTelemetry Collector's `http://host:4318`); records go to `{endpoint}/v1/logs`. A
   * URL that already ends in `/v1/logs` is used as it is.
   */
  endpoint: string;
  /** Headers sent with every request (`{ authorization: 'Bearer …' }`). Default none. */
  headers?: Record<string, string>;
  /** Send reports only as OTLP, not to the faultline collector at `endpoint`. Default false. */
  only?: boolean;
}

export interface ResolvedOtlpOptions {
  /** Base URL (with a trailing slash) under which `v1/logs` is posted. */
  readonly base: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly only: boolean;
}

const LOGS_PATH = /\/v1\/logs\/?$/;
// A header that would break the request framing, not a setting.
const RESERVED_HEADERS = new Set(['content-length', 'content-encoding', 'content-type', 'transfer-encoding', 'host', 'connection']);

function fail(option: string, expected: string, got: unknown): never {
  let shown: string;
  if (typeof got === 'string') shown = JSON.stringify(got);
  else if (typeof got === 'function') shown = 'a function';
  else if (typeof got === 'object' && got !== null) shown = 'an object';
  else shown = String(got);
  throw new TypeError(`faultline init: \`${option}\` must be ${expected} (got ${shown})`);
}

/** What Node accepts in a header value; said in the TypeError of an option that becomes one. */
export const HEADER_VALUE = 'valid in an HTTP header: tabs and printable Latin-1 characters only, no line break or other control character';

// Node refuses these in http.request, on every attempt; caught at init instead, where the option can be named.
function isHeaderName(name: string): boolean {
  try {
    validateHeaderName(name);
    return true;
  } catch {
    return false;
  }
}

/** Whether Node accepts `value` in the header `name`. */
export function isHeaderValue(name: string, value: string): boolean {
  try {
    validateHeaderValue(name, value);
    return true;
  } catch {
    return false;
  }
}

/** Checks the `otlp` option; a wrong value throws a TypeError naming it, at init time. */
export function resolveOtlpOptions(value: unknown): ResolvedOtlpOptions | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('otlp', 'an object { endpoint, headers?, only? }', value);
  const o = value as Record<string, unknown>;
  const endpoint = o.endpoint;
  let url: URL | undefined;
  try {
    url = typeof endpoint === 'string' ? new URL(endpoint) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) fail('otlp.endpoint', 'an absolute http(s) URL', endpoint);
  url.pathname = url.pathname.replace(LOGS_PATH, '');
  if (!url.pathname.endsWith('/')) url.pathname += '/';

  const headers: Record<string, string> = {};
  if (o.headers !== undefined) {
    if (o.headers === null || typeof o.headers !== 'object' || Array.isArray(o.headers)) fail('otlp.headers', 'an object of header names to strings', o.headers);
    for (const [name, v] of Object.entries(o.headers)) {
      const key = name.toLowerCase();
      if (!isHeaderName(name)) fail('otlp.headers', 'an object whose keys are HTTP header names (letters, digits and !#$%&\'*+-.^_`|~)', name);
      if (typeof v !== 'string') fail(`otlp.headers.${name}`, 'a string', v);
      if (RESERVED_HEADERS.has(key)) fail(`otlp.headers.${name}`, 'a header the SDK does not set itself', name);
      // The value is not shown: it is often a credential.
      if (!isHeaderValue(key, v)) throw new TypeError(`faultline init: \`otlp.headers.${name}\` must be ${HEADER_VALUE}`);
      headers[key] = v;
    }
  }
  const only = o.only ?? false;
  if (typeof only !== 'boolean') fail('otlp.only', 'a boolean', only);
  return { base: url.href, headers, only };
}
