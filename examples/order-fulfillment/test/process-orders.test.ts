import { asyncStackOf } from '@faultline/sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OrderOutcome } from '../src/fulfil-order.js';
import { makeOrders } from '../src/orders.js';
import { DEFAULT_CONCURRENCY, processOrders } from '../src/process-orders.js';
import { RemoteServices, type Services } from '../src/services.js';
import { summarize } from '../src/summary.js';
import { scriptedServices, type Log } from './scripted-services.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

// With fake timers, every timer fires in order of its due time: the run is what the seed makes it, whatever
// the load on the machine (a real process on a starved machine may see extra deadline failures).
async function run(seed: number, count = 300, services: Services = new RemoteServices(seed)): Promise<OrderOutcome[]> {
  const pending = processOrders(makeOrders(count, seed), services);
  await vi.runAllTimersAsync();
  return pending;
}

function byOrder(outcomes: readonly OrderOutcome[]): OrderOutcome[] {
  return [...outcomes].sort((a, b) => a.order.localeCompare(b.order));
}

describe('processOrders', () => {
  it('gives every order exactly one outcome', async () => {
    const outcomes = await run(42, 123);
    expect(outcomes.map((o) => o.order).sort()).toEqual(makeOrders(123, 42).map((o) => o.id));
  });

  it('repeats itself for the same seed, order by order, down to what was undone and in which order', async () => {
    const first = byOrder(await run(42));
    const second = byOrder(await run(42));
    expect(second).toEqual(first);
  });

  it('the default seed shows every kind of outcome', async () => {
    const summary = summarize(await run(42));
    expect(summary.ok + summary.degraded + summary.failed).toBe(300);
    for (const n of [summary.ok, summary.degraded, summary.failed, summary.compensated, summary.compensationFailures]) expect(n).toBeGreaterThan(0);
  });

  it('differs for another seed', async () => {
    expect(byOrder(await run(7))).not.toEqual(byOrder(await run(42)));
  });

  it('runs at most `batches` batches of at most `ordersPerBatch` orders at a time', async () => {
    let active = 0;
    let peak = 0;
    const log: Log = [];
    const inner = scriptedServices({ calls: { inventory: { ms: 50 } } }, log);
    const services: Services = {
      ...inner,
      reserveStock: async (order, signal) => {
        peak = Math.max(peak, ++active);
        try {
          return await inner.reserveStock(order, signal);
        } finally {
          active--;
        }
      },
    };
    await run(1, 300, services);
    expect(peak).toBe(DEFAULT_CONCURRENCY.batches * DEFAULT_CONCURRENCY.ordersPerBatch);
  });

  it("a failing call's error carries the spawn chain call → order → batch", async () => {
    const errors: Error[] = [];
    const orders = makeOrders(30, 1);
    const pending = processOrders(orders, scriptedServices({ calls: { risk: { ms: 10, fails: true } } }, [], errors));
    await vi.runAllTimersAsync();
    await pending;
    expect(errors).toHaveLength(30);
    const chains = errors.map((error) => asyncStackOf(error).map((link) => `${link.group} / ${link.task}`));
    for (const chain of chains) {
      const order = /^order (ORD-\d+) \/ risk$/.exec(chain[0] ?? '')?.[1];
      const n = orders.findIndex((o) => o.id === order);
      expect(n).toBeGreaterThanOrEqual(0);
      const batchName = `batch ${Math.floor(n / DEFAULT_CONCURRENCY.batchSize) + 1}`;
      expect(chain).toEqual([`order ${order} / risk`, `${batchName} / order ${order}`, `batches / ${batchName}`]);
    }
  });
});
