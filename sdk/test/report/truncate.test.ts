import { describe, expect, it } from 'vitest';
import { TRUNCATION_MARKER } from '../../src/report/limits.js';
import { safeString, truncate } from '../../src/report/truncate.js';

describe('truncate', () => {
  it('returns strings within the limit unchanged', () => {
    expect(truncate('hello', 5)).toBe('hello');
  });

  it('cuts longer strings to the limit, marker included', () => {
    const cut = truncate('x'.repeat(100), 40);
    expect(cut).toHaveLength(40);
    expect(cut.endsWith(TRUNCATION_MARKER)).toBe(true);
  });

  it('never splits a surrogate pair', () => {
    const s = '😀'.repeat(50);
    const cut = truncate(s, 31);
    expect(cut.length).toBeLessThanOrEqual(31);
    expect(cut.isWellFormed()).toBe(true);
  });

  it('stays within tiny limits', () => {
    expect(truncate('abcdefghijklmnopqrstuvwxyz', 3).length).toBeLessThanOrEqual(3);
  });
});

describe('safeString', () => {
  it('never throws', () => {
    const hostile = {
      toString() {
        throw new Error('no');
      },
    };
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(safeString(hostile)).toBe('[object Object]');
    expect(safeString(Symbol('s'))).toBe('Symbol(s)');
    expect(typeof safeString(proxy)).toBe('string');
    expect(safeString(10n)).toBe('10');
  });
});
