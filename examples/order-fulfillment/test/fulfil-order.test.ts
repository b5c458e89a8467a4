import { currentScope } from '@faultline/sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fulfilOrder, type OrderOutcome } from '../src/fulfil-order.js';
import type { Services } from '../src/services.js';
import { ORDER, scriptedServices, type Log, type Script } from './scripted-services.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

async function fulfil(script: Script, services?: (log: Log) => Services): Promise<{ outcome: OrderOutcome; log: Log }> {
  const log: Log = [];
  const pending = fulfilOrder(ORDER, services?.(log) ?? scriptedServices(script, log));
  await vi.runAllTimersAsync();
  return { outcome: await pending, log };
}

describe('fulfilOrder', () => {
  it('is ok when every call succeeds, and undoes nothing', async () => {
    const { outcome, log } = await fulfil({});
    expect(outcome).toEqual({ order: ORDER.id, status: 'ok', rolledBack: [], compensationFailures: 0 });
    expect(log.sort()).toEqual(['coupons ok', 'inventory ok', 'points ok', 'risk ok']);
  });

  it.each(['coupons', 'points'] as const)('a failed %s call (degradable) degrades the order while the other calls go on', async (name) => {
    const { outcome, log } = await fulfil({ calls: { [name]: { ms: 5, fails: true }, inventory: { ms: 150 }, risk: { ms: 100 } } });
    expect(outcome.status).toBe('degraded');
    expect(outcome.rolledBack).toEqual([]);
    expect(log).toContain('inventory ok');
    expect(log).toContain('risk ok');
  });

  it('a failed required call fails the order and undoes the calls that had succeeded, last completed first', async () => {
    const { outcome, log } = await fulfil({
      calls: { coupons: { ms: 20 }, inventory: { ms: 50 }, points: { ms: 80 }, risk: { ms: 100, fails: true } },
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.failure).toBe('Error: risk failed');
    expect(outcome.rolledBack).toEqual(['points', 'inventory', 'coupons']);
    expect(log.slice(-3)).toEqual(['undo points', 'undo inventory', 'undo coupons']);
  });

  it('calls still running when the order fails are cancelled through their signal, and not undone', async () => {
    const { outcome, log } = await fulfil({ calls: { inventory: { ms: 5, fails: true }, coupons: { ms: 300 }, points: { ms: 1 } } });
    expect(outcome.status).toBe('failed');
    expect(log).toContain('coupons aborted');
    expect(log).toContain('risk aborted');
    expect(outcome.rolledBack).toEqual(['points']);
  });

  it.each([
    ['inventory', 300],
    ['risk', 200],
  ] as const)('a %s call past its %i ms deadline fails the order', async (name, deadline) => {
    const { outcome } = await fulfil({ calls: { [name]: { ms: deadline + 100 } } });
    expect(outcome.status).toBe('failed');
    expect(outcome.failure).toMatch(new RegExp(`^DeadlineExceededError: task '${name}' .* deadline of ${deadline} ms`));
  });

  it('a degradable call past its deadline only degrades the order', async () => {
    const { outcome } = await fulfil({ calls: { coupons: { ms: 600 }, points: { ms: 500 } } });
    expect(outcome.status).toBe('degraded');
  });

  it('a compensation that fails is counted, and the other compensations still run', async () => {
    const { outcome, log } = await fulfil({
      calls: { inventory: { ms: 10 }, coupons: { ms: 20 }, points: { ms: 30 }, risk: { ms: 100, fails: true } },
      failingUndo: ['coupons'],
    });
    expect(outcome.compensationFailures).toBe(1);
    expect(log.slice(-3)).toEqual(['undo points', 'undo coupons', 'undo inventory']);
    expect(outcome.rolledBack).toEqual(['points', 'inventory']);
  });

  it('runs its calls in a scope tagged with the order id, customer and region', async () => {
    let tags: unknown;
    await fulfil({}, (log) => {
      const services = scriptedServices({}, log);
      return {
        ...services,
        checkRisk: (order, signal) => {
          tags = currentScope().tags;
          return services.checkRisk(order, signal);
        },
      };
    });
    expect(tags).toEqual({ order: ORDER.id, customer: ORDER.customer, region: ORDER.region });
  });
});
