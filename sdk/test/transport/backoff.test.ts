import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF, parseRetryAfter } from '../../src/transport/backoff.js';

describe('backoffDelay', () => {
  it('retries the first time within 1 s', () => {
    for (const r of [0, 0.3, 0.999]) expect(backoffDelay(1, DEFAULT_BACKOFF, () => r)).toBeLessThanOrEqual(1000);
  });

  it('doubles its window on each attempt, up to 30 s', () => {
    const top = (attempt: number) => backoffDelay(attempt, DEFAULT_BACKOFF, () => 1);
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(top)).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('jitters within the upper half of the window', () => {
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0)).toBe(2000);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0.5)).toBe(3000);
  });

  it('treats Retry-After as a minimum', () => {
    expect(backoffDelay(1, DEFAULT_BACKOFF, () => 0, 10_000)).toBe(10_000);
    expect(backoffDelay(6, DEFAULT_BACKOFF, () => 1, 5_000)).toBe(30_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('7', 0)).toBe(7000);
    expect(parseRetryAfter(' 0 ', 0)).toBe(0);
  });

  it('reads an HTTP date relative to now', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
});
