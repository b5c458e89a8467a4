import type { Bucket, Interval } from '../api/types.js';
import { toMillis } from './time.js';

/** The overview's selectable ranges and the bucket size that keeps each chart between 24 and 168 points. */
export const RANGES = {
  '1h': { ms: 3_600_000, interval: 'minute' },
  '24h': { ms: 86_400_000, interval: 'hour' },
  '7d': { ms: 7 * 86_400_000, interval: 'hour' },
  '30d': { ms: 30 * 86_400_000, interval: 'day' },
} as const satisfies Record<string, { ms: number; interval: Interval }>;

export type RangeKey = keyof typeof RANGES;

export function isRangeKey(v: string | null): v is RangeKey {
  return v !== null && Object.hasOwn(RANGES, v);
}

const STEP: Record<Interval, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Start of the bucket that holds `ms` (UTC, as the collector buckets). */
export function bucketStart(ms: number, interval: Interval): number {
  return ms - (ms % STEP[interval]);
}

/** `[since, until)` for a range ending now, `since` aligned to a bucket so the first bucket is whole. */
export function rangeWindow(range: RangeKey, now = Date.now()): { since: number; until: number; interval: Interval } {
  const { ms, interval } = RANGES[range];
  return { since: bucketStart(now - ms, interval) + STEP[interval], until: now, interval };
}

/**
 * One point per bucket from `since` to `until`, zero where the API returned none (it may leave empty
 * buckets out), as uPlot's columns: x in seconds, y counts.
 */
export function fillBuckets(buckets: readonly Bucket[], since: number, until: number, interval: Interval): [number[], number[]] {
  const step = STEP[interval];
  const counts = new Map<number, number>();
  for (const b of buckets) {
    const start = bucketStart(toMillis(b.t), interval);
    counts.set(start, (counts.get(start) ?? 0) + b.count);
  }
  const xs: number[] = [];
  const ys: number[] = [];
  for (let t = bucketStart(since, interval); t <= until; t += step) {
    xs.push(t / 1000);
    ys.push(counts.get(t) ?? 0);
  }
  return [xs, ys];
}
