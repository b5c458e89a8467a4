import { describe, expect, it } from 'vitest';
import { GroupCommitWriter } from '../../src/ingest/group-commit-writer.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
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

  it('takes a batch larger than maxQueued when nothing is waiting, instead of refusing it forever', async () => {
    const fake = fakeStore();
    const writer = new GroupCommitWriter(fake.store, { maxQueued: 2 });
    const big = writer.write([prepared(), prepared(), prepared()]);
    await expect(writer.write([prepared()])).rejects.toMatchObject({ code: 'FAULTLINE_OVERLOADED' });
    await tick();
    fake.finishAll();
    expect((await big).stored).toEqual([true, false, true]);
  });
});

/**
 * A real in-memory SQLite store that refuses, as PostgreSQL refuses a NUL in text, any transaction holding an
 * event whose message is 'poison' (a data error, SQLSTATE 22021), or fails every write while `down` is set.
 */
function refusingStore() {
  const inner = SqliteStore.open(':memory:');
  const transactions: number[] = [];
  const state = { down: false };
  const store = {
    kind: 'postgres',
    async writeEvents(events: readonly PreparedEvent[]): Promise<WriteResult> {
      transactions.push(events.length);
      if (state.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      if (events.some((e) => e.message === 'poison')) {
        throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
      }
      return inner.writeEvents(events);
    },
  } as unknown as Store;
  return { store, inner, transactions, state };
}

describe('GroupCommitWriter, when the store refuses what a transaction holds', () => {
  it('gives each caller of a refused shared transaction one of its own: the other requests are stored', async () => {
    const { store, inner, transactions } = refusingStore();
    const writer = new GroupCommitWriter(store, { maxQueued: 100 });
    const good = [prepared(), prepared()];
    const first = writer.write([good[0]!]);
    const bad = writer.write([prepared({ message: 'poison' })]);
    const last = writer.write([good[1]!]);
    const results = await Promise.all([first, bad, last]);
    expect(transactions).toEqual([3, 1, 1, 1]);
    expect(results[0].stored).toEqual([true]);
    expect(results[2].stored).toEqual([true]);
    expect(results[1].stored).toEqual([false]);
    expect(results[1].refused?.[0]).toMatch(/^The store refused this report: invalid byte sequence/);
    for (const e of good) expect(await inner.getEvent(e.id)).toBeDefined();
  });

  it("rejects only the refused reports of a request's batch and stores the others, in order", async () => {
    const { store, inner } = refusingStore();
    const writer = new GroupCommitWriter(store, { maxQueued: 100 });
    const events = Array.from({ length: 7 }, (_, i) => prepared(i === 2 || i === 5 ? { message: 'poison' } : {}));
    const result = await writer.write(events);
    expect(result.stored).toEqual([true, true, false, true, true, false, true]);
    expect(result.refused?.map((r) => r !== undefined)).toEqual([false, false, true, false, false, true, false]);
    for (const [i, e] of events.entries()) expect((await inner.getEvent(e.id)) !== undefined).toBe(i !== 2 && i !== 5);
  });

  it('fails every caller with 503, without a transaction per caller, when the store is unavailable', async () => {
    const { store, transactions, state } = refusingStore();
    state.down = true;
    const writer = new GroupCommitWriter(store, { maxQueued: 100 });
    const writes = [writer.write([prepared()]), writer.write([prepared(), prepared()])];
    for (const w of writes) await expect(w).rejects.toMatchObject({ code: 'FAULTLINE_STORE_UNAVAILABLE', retryAfter: 1 });
    expect(transactions).toEqual([3]);
  });
});
