import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RetentionJob } from '../src/retention-job.js';
import { SqliteStore } from '../src/storage/sqlite-store.js';
import { prepared } from './helpers/events.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);
const log = pino({ level: 'silent' });

afterEach(() => vi.useRealTimers());

describe('RetentionJob', () => {
  it('deletes events older than retentionDays and beyond retentionEventsPerIssue, keeping the newest and the totals', async () => {
    const store = SqliteStore.open(':memory:');
    await store.writeEvents([
      ...Array.from({ length: 3 }, (_, i) => prepared({ fingerprint: 'a', timestamp: NOW - 40 * DAY + i })),
      ...Array.from({ length: 6 }, (_, i) => prepared({ fingerprint: 'a', timestamp: NOW - DAY + i })),
      prepared({ fingerprint: 'gone', timestamp: NOW - 45 * DAY }),
    ]);
    const job = new RetentionJob(store, { retentionDays: 30, retentionEventsPerIssue: 4, intervalMs: 0, now: () => NOW }, log);
    expect(await job.runOnce()).toEqual({ deletedEvents: 6, deletedIssues: 1 });
    const [issue, ...others] = await store.listIssues({ sort: 'lastSeen', limit: 10 });
    expect(others).toEqual([]);
    expect(issue!.count).toBe(9);
    const kept = await store.listEvents({ issueId: issue!.id, limit: 10 });
    expect(kept.map((e) => e.timestamp)).toEqual([NOW - DAY + 5, NOW - DAY + 4, NOW - DAY + 3, NOW - DAY + 2]);
    await store.close();
  });

  it('runs periodically on unref timers once started, and stops', async () => {
    vi.useFakeTimers();
    const store = SqliteStore.open(':memory:');
    const spy = vi.spyOn(store, 'applyRetention');
    const job = new RetentionJob(store, { retentionDays: 30, retentionEventsPerIssue: 10, intervalMs: 3_600_000, now: () => NOW }, log);
    job.start();
    expect(spy).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(spy).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(spy).toHaveBeenCalledTimes(2);
    await job.stop();
    await vi.advanceTimersByTimeAsync(10 * 3_600_000);
    expect(spy).toHaveBeenCalledTimes(2);
    await store.close();
  });

  it('does nothing when the interval is 0', async () => {
    vi.useFakeTimers();
    const store = SqliteStore.open(':memory:');
    const spy = vi.spyOn(store, 'applyRetention');
    new RetentionJob(store, { retentionDays: 30, retentionEventsPerIssue: 10, intervalMs: 0 }, log).start();
    await vi.advanceTimersByTimeAsync(10 * 3_600_000);
    expect(spy).not.toHaveBeenCalled();
    await store.close();
  });
});
