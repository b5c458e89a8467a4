import { describe, expect, it } from 'vitest';
import { TRUNCATION_MARKER } from '../../src/report/limits.js';
import { normalizeObject } from '../../src/report/normalize.js';

const LIMITS = { depth: 5, bytes: 16 * 1024 };
const size = (v: unknown) => Buffer.byteLength(JSON.stringify(v));

describe('normalizeObject', () => {
  it('keeps plain JSON data as it is', () => {
    const data = { id: 7, name: 'ada', tags: ['a', 'b'], ok: true, none: null, nested: { x: 1.5 } };
    expect(normalizeObject(data, LIMITS)).toEqual(data);
  });

  it('replaces circular references instead of recursing', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    a.list = [a];
    expect(normalizeObject(a, LIMITS)).toEqual({ name: 'a', self: '[Circular]', list: ['[Circular]'] });
  });

  it('keeps an object referenced twice without a cycle', () => {
    const shared = { v: 1 };
    expect(normalizeObject({ a: shared, b: shared }, LIMITS)).toEqual({ a: { v: 1 }, b: { v: 1 } });
  });

  it('turns BigInt, Symbols, functions and non-finite numbers into strings', () => {
    const out = normalizeObject(
      { big: 12345678901234567890n, sym: Symbol('s'), fn: function named() {}, nan: NaN, inf: -Infinity, undef: undefined },
      LIMITS,
    );
    expect(out).toEqual({ big: '12345678901234567890n', sym: 'Symbol(s)', fn: '[Function named]', nan: 'NaN', inf: '-Infinity' });
  });

  it('survives getters that throw and hostile proxies', () => {
    const obj = {
      ok: 1,
      get bad(): never {
        throw new Error('getter');
      },
    };
    const trap = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('ownKeys');
        },
      },
    );
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(normalizeObject({ obj, trap, revoked }, LIMITS)).toEqual({
      obj: { ok: 1, bad: '[Getter threw]' },
      trap: {},
      revoked: '[Unreadable]',
    });
  });

  it('describes dates, errors, buffers, maps and sets readably', () => {
    const out = normalizeObject(
      {
        at: new Date('2024-01-02T03:04:05.678Z'),
        bad: new Date(NaN),
        err: new TypeError('nope'),
        buf: Buffer.from('abc'),
        map: new Map<unknown, unknown>([['k', 1], [2, 'two']]),
        set: new Set([1, 2]),
        url: new URL('https://example.com/x'),
      },
      LIMITS,
    );
    expect(out).toEqual({
      at: '2024-01-02T03:04:05.678Z',
      bad: 'Invalid Date',
      err: 'TypeError: nope',
      buf: '[Buffer 3 bytes]',
      map: { k: 1, '2': 'two' },
      set: [1, 2],
      url: 'https://example.com/x',
    });
  });

  it('cuts objects nested deeper than the depth limit', () => {
    const deep = { l1: { l2: { l3: { l4: { l5: { l6: 'too deep' } } } } } };
    expect(normalizeObject(deep, LIMITS)).toEqual({ l1: { l2: { l3: { l4: { l5: '[Object]' } } } } });
    expect(normalizeObject({ a: [[[[[[1]]]]]] }, LIMITS)).toEqual({ a: [[[['[Array]']]]] });
  });

  it('stays within the byte limit and marks where it cut', () => {
    const big = { rows: Array.from({ length: 2000 }, (_, i) => ({ i, text: `row ${i} ${'x'.repeat(20)}` })) };
    const out = normalizeObject(big, LIMITS)!;
    expect(size(out)).toBeLessThanOrEqual(LIMITS.bytes);
    const rows = out.rows as unknown[];
    expect(rows.at(-1)).toBe(TRUNCATION_MARKER);
    expect(out[TRUNCATION_MARKER]).toBe(true);
  });

  it('cuts one huge string to fit, counting multi-byte characters', () => {
    const out = normalizeObject({ text: 'é'.repeat(50_000) }, LIMITS)!;
    expect(size(out)).toBeLessThanOrEqual(LIMITS.bytes);
    expect((out.text as string).endsWith(TRUNCATION_MARKER)).toBe(true);
  });

  it.each([
    [{ a: 'x'.repeat(100_000) }],
    [{ deep: { deeper: { list: Array.from({ length: 5000 }, (_, i) => i) } } }],
    [Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`key-${i}`, '"\\\n\u0001'.repeat(3)]))],
  ])('never exceeds the byte limit (%#)', (value) => {
    expect(size(normalizeObject(value, LIMITS))).toBeLessThanOrEqual(LIMITS.bytes);
  });

  it('redacts sensitive keys at any depth', () => {
    const out = normalizeObject(
      {
        password: 'hunter2',
        headers: { Authorization: 'Bearer abc', 'x-api-key': 'k', cookie: 'sid=1', accept: 'json' },
        session: { refreshToken: 'r', user: { api_key: 'k2', name: 'ada' } },
        list: [{ secret: { nested: 'object' } }],
      },
      LIMITS,
    );
    expect(out).toEqual({
      password: '[redacted]',
      headers: { Authorization: '[redacted]', 'x-api-key': '[redacted]', cookie: '[redacted]', accept: 'json' },
      session: { refreshToken: '[redacted]', user: { api_key: '[redacted]', name: 'ada' } },
      list: [{ secret: '[redacted]' }],
    });
  });

  it('does not call the getter of a redacted key', () => {
    let called = false;
    const obj = {
      get token() {
        called = true;
        return 't';
      },
    };
    expect(normalizeObject(obj, LIMITS)).toEqual({ token: '[redacted]' });
    expect(called).toBe(false);
  });

  it('keeps __proto__ as data', () => {
    const out = normalizeObject(JSON.parse('{"__proto__": {"polluted": true}}'), LIMITS)!;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
  });

  it('wraps a value that is not an object, and returns undefined for nothing', () => {
    expect(normalizeObject('just text', LIMITS)).toEqual({ value: 'just text' });
    expect(normalizeObject([1, 2], LIMITS)).toEqual({ value: [1, 2] });
    expect(normalizeObject(undefined, LIMITS)).toBeUndefined();
    expect(normalizeObject(null, LIMITS)).toBeUndefined();
  });
});
