import { describe, expect, it } from 'vitest';
import { formatCount, relativeTime, toMillis } from '../../src/format/time.js';

describe('relativeTime', () => {
  const now = Date.UTC(2025, 0, 10, 12);
  it.each([
    [now - 1000, 'just now'],
    [now + 60_000, 'just now'],
    [now - 42_000, '42 s ago'],
    [now - 5 * 60_000, '5 min ago'],
    [now - 3 * 3_600_000, '3 h ago'],
    [now - 4 * 86_400_000, '4 d ago'],
    [now - 90 * 86_400_000, '3 mo ago'],
    [now - 800 * 86_400_000, '2 y ago'],
  ])('says how long ago %i was', (t, text) => {
    expect(relativeTime(t, now)).toBe(text);
  });

  it('reads RFC 3339 text and numbers alike, and says when it cannot', () => {
    expect(toMillis('2025-01-10T12:00:00.000Z')).toBe(now);
    expect(relativeTime(new Date(now - 120_000).toISOString(), now)).toBe('2 min ago');
    expect(relativeTime('yesterday-ish', now)).toBe('unknown');
  });
});

describe('formatCount', () => {
  it('groups thousands and shortens millions', () => {
    expect(formatCount(999)).toBe('999');
    expect(formatCount(12_345)).toBe('12,345');
    expect(formatCount(1_250_000)).toBe('1.3M');
    expect(formatCount(25_000_000)).toBe('25M');
  });
});
