import { describe, expect, it } from 'vitest';
import { FlushWaiters } from '../../src/transport/flush-waiters.js';

const later = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('FlushWaiters', () => {
  it('resolves a flush false once its timeout passes', async () => {
    const waiters = new FlushWaiters(() => false);
    const outcome = new Promise<boolean>((resolve) => waiters.add(1, 10, resolve));
    expect(await outcome).toBe(false);
    expect(waiters.size).toBe(0);
  });

  it.each([[Infinity], [2 ** 31], [1e12]])(
    'treats a flush timeout past setTimeout’s range (%s) as none: it waits until its reports settle',
    async (timeoutMs) => {
      let settled = false;
      const waiters = new FlushWaiters(() => settled);
      let result: boolean | undefined;
      waiters.add(1, timeoutMs, (ok) => (result = ok));
      await later(30);
      expect(result).toBeUndefined();
      settled = true;
      waiters.check();
      expect(result).toBe(true);
      expect(waiters.size).toBe(0);
    },
  );

  it('waits for idle() with no time limit when given Infinity', async () => {
    const waiters = new FlushWaiters(() => true);
    let idle = false;
    const done = waiters.whenIdle(1, Infinity).then(() => (idle = true));
    await later(30);
    expect(idle).toBe(false);
    waiters.idle();
    await done;
    expect(idle).toBe(true);
  });
});
