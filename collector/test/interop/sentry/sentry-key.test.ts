import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { sentryKey } from '../../../src/interop/sentry/sentry-key.js';

const request = (headers: Record<string, string>, query: Record<string, string> = {}) => ({ headers, query }) as unknown as FastifyRequest;

describe('sentryKey', () => {
  it.each([
    ['X-Sentry-Auth', request({ 'x-sentry-auth': 'Sentry sentry_version=7, sentry_client=raven/1.0, sentry_key=abc123' }), 'abc123'],
    ['X-Sentry-Auth with the key first and no spaces', request({ 'x-sentry-auth': 'Sentry sentry_key=abc123,sentry_version=7' }), 'abc123'],
    ['Authorization: Sentry ...', request({ authorization: 'Sentry sentry_key=k9, sentry_secret=s' }), 'k9'],
    ['the sentry_key query parameter', request({}, { sentry_key: 'q1', sentry_version: '7' }), 'q1'],
  ])('reads the DSN public key from %s', (_name, req, key) => {
    expect(sentryKey(req)).toBe(key);
  });

  it('prefers the header over the query string, and ignores a Bearer Authorization', () => {
    expect(sentryKey(request({ 'x-sentry-auth': 'Sentry sentry_key=h' }, { sentry_key: 'q' }))).toBe('h');
    expect(sentryKey(request({ authorization: 'Bearer sentry_key=x' }))).toBeUndefined();
    expect(sentryKey(request({}))).toBeUndefined();
  });
});
