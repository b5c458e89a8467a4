import { describe, expect, it } from 'vitest';
import { anyValue, attributes, nanoToMs, otlpId, unixNano } from '../../../src/interop/otlp/otlp-values.js';

describe('anyValue and attributes', () => {
  it('reads every AnyValue kind, in camelCase or snake_case, int64 strings as numbers when they fit', () => {
    const attrs = attributes([
      { key: 's', value: { stringValue: 'x' } },
      { key: 'b', value: { boolValue: false } },
      { key: 'i', value: { intValue: '42' } },
      { key: 'big', value: { intValue: '9223372036854775807' } },
      { key: 'd', value: { doubleValue: 1.5 } },
      { key: 'snake', value: { string_value: 'y' } },
      { key: 'arr', value: { arrayValue: { values: [{ intValue: 1 }, { stringValue: 'two' }] } } },
      { key: 'kv', value: { kvlistValue: { values: [{ key: 'inner', value: { boolValue: true } }] } } },
      { key: 'unset', value: {} },
      { key: '__proto__', value: { stringValue: 'ignored' } },
      'junk',
    ]);
    expect(Object.fromEntries(attrs)).toEqual({ s: 'x', b: false, i: 42, big: '9223372036854775807', d: 1.5, snake: 'y', arr: [1, 'two'], kv: { inner: true } });
  });

  it('stops at a nesting depth instead of recursing without bound', () => {
    let value: object = { stringValue: 'leaf' };
    for (let i = 0; i < 50; i++) value = { arrayValue: { values: [value] } };
    expect(JSON.stringify(anyValue(value))).not.toContain('leaf');
  });
});

describe('otlpId', () => {
  it('reads hex (OTLP JSON) and base64 (decoded protobuf bytes) ids as lowercase hex', () => {
    expect(otlpId('5B8EFFF798038103D269B633813FC60C', 16)).toBe('5b8efff798038103d269b633813fc60c');
    expect(otlpId(Buffer.from('5b8efff798038103d269b633813fc60c', 'hex').toString('base64'), 16)).toBe('5b8efff798038103d269b633813fc60c');
    expect(otlpId(Buffer.from('eee19b7ec3c1b174', 'hex').toString('base64'), 8)).toBe('eee19b7ec3c1b174');
  });

  it('treats all-zero, empty and malformed ids as absent', () => {
    for (const value of ['0'.repeat(32), '', 'xyz', 42, undefined, 'abc'.repeat(11)]) expect(otlpId(value, 16)).toBeUndefined();
  });
});

describe('unixNano', () => {
  it('reads nanoseconds as strings or numbers; zero is absent', () => {
    expect(unixNano('1796320403069000000')).toBe('1796320403069000000');
    // A JSON number cannot hold every nanosecond; it is read as the double it is.
    expect(unixNano(1796320403069000000)).toBe('1796320403068999936');
    expect(unixNano('0')).toBeUndefined();
    expect(unixNano('-5')).toBeUndefined();
    expect(nanoToMs('1796320403069999999')).toBe(1796320403069);
  });
});
