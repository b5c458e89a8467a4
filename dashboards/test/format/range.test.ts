import { describe, expect, it } from 'vitest';
import { bucketStart, fillBuckets, isRangeKey, rangeWindow } from '../../src/format/range.js';

const H = 3_600_000;

describe('rangeWindow', () => {
  it.each([
    ['1h', 'minute'],
    ['24h', 'hour'],
    ['7d', 'hour'],
    ['30d', 'day'],
  ] as const)('picks %s → %s buckets and starts on a whole bucket', (range, interval) => {
    const now = Date.UTC(2025, 4, 10, 13, 27, 41);
    const w = rangeWindow(range, now);
    expect(w.interval).toBe(interval);
    expect(bucketStart(w.since, interval)).toBe(w.since);
    expect(w.until).toBe(now);
  });

  it('recognises only the four ranges', () => {
    expect(['1h', '24h', '7d', '30d'].every(isRangeKey)).toBe(true);
    expect(isRangeKey('2h')).toBe(false);
    expect(isRangeKey('toString')).toBe(false);
    expect(isRangeKey(null)).toBe(false);
  });
});

describe('fillBuckets', () => {
  it('puts a zero in every bucket the API left out and adds up counts in one bucket', () => {
    const since = Date.UTC(2025, 0, 1, 0);
    const until = since + 4 * H + 10;
    const [xs, ys] = fillBuckets(
      [
        { t: new Date(since + H).toISOString(), count: 3 },
        { t: since + 3 * H, count: 2 },
        { t: since + 3 * H + 60_000, count: 1 },
      ],
      since,
      until,
      'hour',
    );
    expect(xs).toEqual([0, 1, 2, 3, 4].map((i) => (since + i * H) / 1000));
    expect(ys).toEqual([0, 3, 0, 3, 0]);
  });
});
