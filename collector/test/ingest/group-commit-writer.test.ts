import { describe, expect, it } from 'vitest';
import { GroupCommitWriter } from '../../src/ingest/group-commit-writer.js';
import type { PreparedEvent, Store, WriteResult } from '../../src/storage/store.js';
import { prepared } from '../helpers/events.js';

/** A store whose transactions finish when the test says so; records each transaction's events. */
function fakeStore() {
  const transactions: PreparedEvent[][] = [];
  const finishers: (() => void)[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const store = {
    kind: 'postgres',
    async writeEvents(events: readonly PreparedEvent[]): Promise<WriteResult> {
      transactions.push([...events]);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise<void>((resolve) => finishers.push(resolve));
      inFlight--;
      // Odd positions are "duplicates", so each caller can be checked to get its own slice.
      return { stored: events.map((_, i) => i % 2 === 0), created: [], regressed: [] };
    },
  } as unknown as Store;
  return {
    store,
    transactions,
    finishAll: () => finishers.splice(0).forEach((f) => f()),
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommitWriter', () => {
  it('puts writes made in the same turn of the event loop into one transaction and gives each caller its slice', async () => {
    const fake = fakeStore();
    const writer = new GroupCommitWriter(fake.store, { maxQueued: 100 });
    const a = writer.write([prepared(), prepared(), prepared()]);
    const b = writer.write([prepared(), prepared()]);
    await tick();
    expect(fake.transactions.map((t) => t.length)).toEqual([5]);
    fake.finishAll();
    expect((await a).stored).toEqual([true, false, true]);
    expect((await b).stored).toEqual([false, true]);
  });

  it('waits a few turns for requests that have arrived but are still being read, then commits them together', async () => {
    const fake = fakeStore();
    let arriving = 2;
    const writer = new GroupCommitWriter(fake.store, { maxQueued: 100, arriving: () => arriving });
    const first = writer.write([prepared()]);
    await tick();
    const second = writer.write([prepared()]);
    await tick();
    await tick();
    expect(fake.transactions.map((t) => t.length)).toEqual([2]);
    fake.finishAll();
    await Promise.all([first, second]);
    // A request that never writes (refused, aborted) delays a commit by a few turns at most.
    arriving = 5;
    const third = writer.write([prepared()]);
    for (let i = 0; i < 6; i++) await tick();
    expect(fake.transactions.map((t) => t.length)).toEqual([2, 1]);
    fake.finishAll();
    await third;
  });

  it('runs at most `concurrency` transactions at once, the rest waiting for the next free slot', async () => {
    const fake = fakeStore();
    const writer = new GroupCommitWriter(fake.store, { maxQueued: 100, concurrency: 2 });
    const first = writer.write([prepared()]);
    await tick();
    const second = writer.write([prepared()]);
    await tick();
    const third = writer.write([prepared()]);
    const fourth = writer.write([prepared()]);
    await tick();
    expect(fake.transactions.map((t) => t.length)).toEqual([1, 1]);
    fake.finishAll();
    await Promise.all([first, second]);
    await tick();
    expect(fake.transactions.map((t) => t.length)).toEqual([1, 1, 2]);
    fake.finishAll();
    await Promise.all([third, fourth]);
    expect(fake.maxInFlight).toBe(2);
  });

  it('starts a transaction beside a running one only once overlapMinEvents are queued; fewer wait to share the next', async () => {
    const fake = fakeStore();
    const writer = new GroupCommitWriter(fake.store, { maxQueued: 100, concurrency: 4, overlapMinEvents: 3 });
    const first = writer.write([prepared()]);
    await tick();
    // Two small writes while the first transaction runs: below the threshold, they wait for it.
    const small = [writer.write([prepared()]), writer.write([prepared()])];
    await tick();
    await tick();
    expect(fake.transactions.map((t) => t.length)).toEqual([1]);
    // A third makes three queued events: a second transaction starts beside the first, with all three.
    const third = writer.write([prepared()]);
    await tick();
    expect(fake.transactions.map((t) => t.length)).toEqual([1, 3]);
    fake.finishAll();
    await Promise.all([first, ...small, third]);
    // With nothing in flight, a single event starts a transaction at once.
    const alone = writer.write([prepared()]);
    await tick();
    expect(fake.transactions.map((t) => t.length)).toEqual([1, 3, 1]);
    fake.finishAll();
    await alone;
    expect(fake.maxInFlight).toBe(2);
  });

  it('runs a waiting small write as soon as the transaction in flight ends', async () => {
    const fake = fakeStore();
    const writer = new GroupCommitWriter(fake.store, { maxQueued: 100, concurrency: 4, overlapMinEvents: 100 });
    const first = writer.write([prepared()]);
    await tick();
    const second = writer.write([prepared()]);
    await tick();
    expect(fake.transactions).toHaveLength(1);
    fake.finishAll();
    await first;
    await tick();
    await tick();
    expect(fake.transactions.map((t) => t.length)).toEqual([1, 1]);
    fake.finishAll();
    expect((await second).stored).toEqual([true]);
  });

  it('counts the depth until commit and refuses writes past maxQueued with 503', async () => {
    const fake = fakeStore();
    const depths: number[] = [];
    const writer = new GroupCommitWriter(fake.store, { maxQueued: 3, onDepth: (d) => depths.push(d) });
    const pending = writer.write([prepared(), prepared()]);
    await expect(writer.write([prepared(), prepared()])).rejects.toMatchObject({ code: 'FAULTLINE_OVERLOADED', retryAfter: 1 });
    expect(writer.depth).toBe(2);
    await tick();
    fake.finishAll();
    await pending;
    expect(writer.depth).toBe(0);
    expect(depths).toEqual([2, 0]);
  });

  it('finishes queued writes on close, then refuses new ones', async () => {
    const fake = fakeStore();
    const writer = new GroupCommitWriter(fake.store, { maxQueued: 100 });
    const pending = writer.write([prepared()]);
    let closed = false;
    const closing = writer.close().then(() => (closed = true));
    await tick();
    expect(closed).toBe(false);
    fake.finishAll();
    await closing;
    expect((await pending).stored).toEqual([true]);
    await expect(writer.write([prepared()])).rejects.toMatchObject({ code: 'FAULTLINE_SHUTTING_DOWN' });
  });
});
