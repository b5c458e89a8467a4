import { ApiError, NetworkError, UnauthorizedError } from '../errors.js';
import { currentToken } from './token.js';

export type QueryValue = string | number | boolean | undefined | null;

interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
}

/** Builds `/api/<path>?...`, leaving out empty parameters so URLs stay short and cache-friendly. */
export function apiUrl(path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return `/api/${path}${qs ? `?${qs}` : ''}`;
}

/** One JSON request to the read API, with the read token as a Bearer credential when one was entered. */
export async function request<T>(method: 'GET' | 'PATCH', path: string, options: RequestOptions = {}): Promise<T> {
  const token = currentToken();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      credentials: 'same-origin',
    });
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw new NetworkError(`The collector did not answer (${err instanceof Error ? err.message : String(err)}).`);
  }
  if (res.ok) return (await res.json()) as T;
  const reason = await errorText(res);
  if (res.status === 401) throw new UnauthorizedError(reason, token !== undefined);
  throw new ApiError(`${method} ${path} answered ${res.status}: ${reason}`, res.status);
}

async function errorText(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    const message = body.message ?? body.error;
    if (typeof message === 'string' && message) return message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 300) || res.statusText || `HTTP ${res.status}`;
}
