import { describe, expect, it } from 'vitest';
import { buildContext } from '../../src/report/context.js';
import { LIMITS } from '../../src/report/limits.js';

describe('buildContext', () => {
  it('carries tags, user, request and extra from the scope', () => {
    const ctx = buildContext({ tags: { region: 'eu' }, user: { id: 'u1' }, request: { method: 'GET' }, extra: { attempt: 2 } });
    expect(ctx).toEqual({ tags: { region: 'eu' }, user: { id: 'u1' }, request: { method: 'GET' }, extra: { attempt: 2 } });
  });

  it('lets capture-time tags win over the scope', () => {
    expect(buildContext({ tags: { a: '1', b: '2' } }, { b: 'override', c: 3 }).tags).toEqual({ a: '1', b: 'override', c: '3' });
  });

  it('bounds tags: count, key and value length', () => {
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`t${i}`, 'v'.repeat(500)]));
    const tags = buildContext({ tags: { ['k'.repeat(100)]: 'x', ...many } }).tags;
    expect(Object.keys(tags)).toHaveLength(LIMITS.tags);
    for (const [k, v] of Object.entries(tags)) {
      expect(k.length).toBeLessThanOrEqual(LIMITS.tagKeyChars);
      expect(v.length).toBeLessThanOrEqual(LIMITS.tagValueChars);
    }
  });

  it('redacts sensitive tags and context values', () => {
    const ctx = buildContext({
      tags: { 'api-key': 'k', region: 'eu' },
      request: { headers: { authorization: 'Bearer x', 'user-agent': 'curl' } },
      user: { id: 1, password: 'p' },
    });
    expect(ctx.tags).toEqual({ 'api-key': '[redacted]', region: 'eu' });
    expect(ctx.request).toEqual({ headers: { authorization: '[redacted]', 'user-agent': 'curl' } });
    expect(ctx.user).toEqual({ id: 1, password: '[redacted]' });
  });

  it('redacts sensitive query parameters of the request URL and the Referer header', () => {
    const ctx = buildContext({
      tags: {},
      request: { url: 'https://shop.test/cb?code=1&access_token=abc', headers: { referer: 'https://shop.test/?api_key=k&tab=2' } },
    });
    expect(ctx.request).toEqual({
      url: 'https://shop.test/cb?code=1&access_token=[redacted]',
      headers: { referer: 'https://shop.test/?api_key=[redacted]&tab=2' },
    });
  });

  it('keeps each of user, request and extra within its size', () => {
    const ctx = buildContext({ tags: {}, extra: { blob: 'x'.repeat(100_000) } });
    expect(Buffer.byteLength(JSON.stringify(ctx.extra))).toBeLessThanOrEqual(LIMITS.contextBytes);
  });

  it('has empty tags without a scope', () => {
    expect(buildContext(undefined)).toEqual({ tags: {} });
  });
});
