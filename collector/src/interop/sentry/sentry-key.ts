import type { FastifyRequest } from 'fastify';

const AUTH_PARAM = /(?:^|[\s,])sentry_key\s*=\s*([^\s,]+)/i;

/**
 * The DSN public key a Sentry SDK sent: `X-Sentry-Auth: Sentry sentry_key=<key>, ...` (or the same in
 * `Authorization`), else the `sentry_key` query parameter.
 */
export function sentryKey(request: FastifyRequest): string | undefined {
  for (const header of [request.headers['x-sentry-auth'], request.headers.authorization]) {
    if (typeof header !== 'string' || !/^\s*sentry\s/i.test(header)) continue;
    const match = AUTH_PARAM.exec(header.replace(/^\s*sentry\s/i, ' '));
    if (match?.[1] !== undefined) return match[1];
  }
  const query = request.query as Record<string, unknown> | undefined;
  const key = query?.sentry_key;
  return typeof key === 'string' && key !== '' ? key : undefined;
}
