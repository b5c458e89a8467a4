import { describe, expect, it } from 'vitest';
import { DeadlineExceededError, ErrGroup, NegativeCounterError, WaitGroup, setTag, withScope } from '@faultline/sdk';
import { setCaptureSink } from '../../src/capture/sink.js';
import { deferred, recordCaptures, tick } from './support.js';

describe('group failures are reported', () => {
  it('at the moment they happen, whether or not wait() is ever called, with the group facts and the failing task’s scope', async () => {
    const { captures, stop } = recordCaptures();
    try {
      const boom = new Error('boom');
      const gate = deferred();
      await withScope({ tags: { request: 'r1' } }, async () => {
        const g = new ErrGroup({ name: 'checkout', limit: 2 });
        void g.go(() => gate.promise);
        void g.go(
          async () => {
            setTag('step', 'charge');
            await tick();
            throw boom;
          },
          { name: 'charge' },
        );
        void g.go(() => undefined); // queued, then skipped by the abort
        for (let i = 0; i < 3; i++) await tick();
      });
      expect(captures).toHaveLength(1);
      const [capture] = captures;
      expect(capture).toMatchObject({ error: boom, level: 'error', handled: true, mechanism: 'errgroup' });
      expect(capture!.scope?.tags).toEqual({ request: 'r1', step: 'charge' });
      expect(capture!.group).toEqual({
        kind: 'errgroup',
        name: 'checkout',
        task: 'charge',
        failFast: true,
        optional: false,
        started: 2,
        failed: 1,
        canceled: 0,
        elapsedMs: expect.any(Number),
      });
      expect(capture!.group!.elapsedMs).toBeGreaterThanOrEqual(0);
      gate.resolve();
    } finally {
      stop();
    }
  });

  it('once, by the innermost group, for an error that escapes nested groups', async () => {
    const { captures, stop } = recordCaptures();
    try {
      const a = new ErrGroup({ name: 'a' });
      void a.go(async () => {
        const b = new ErrGroup({ name: 'b' });
        void b.go(async () => {
          const c = new ErrGroup({ name: 'c' });
          void c.go(() => Promise.reject(new Error('deep')), { name: 'leaf' });
          await c.wait();
        });
        await b.wait();
      });
      await expect(a.wait()).rejects.toThrow('deep');
      expect(captures).toHaveLength(1);
      expect(captures[0]!.group).toMatchObject({ name: 'c', task: 'leaf' });
    } finally {
      stop();
    }
  });

  it('including task and group deadlines, but not the cancellations they cause', async () => {
    const { captures, stop } = recordCaptures();
    try {
      const g = new ErrGroup({ name: 'deadlines', timeout: 30 });
      void g.go(() => new Promise(() => {}), { name: 'stuck', timeout: 5, optional: true });
      void g.go(({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))));
      await expect(g.wait()).rejects.toBeInstanceOf(DeadlineExceededError);
      expect(captures.map((c) => [c.group?.task, c.level, c.error instanceof DeadlineExceededError])).toEqual([
        ['stuck', 'warning', true],
        ['(group deadline)', 'error', true],
      ]);
    } finally {
      stop();
    }
  });

  it('not at all when no client is initialised, and a throwing sink never reaches the group', async () => {
    const g = new ErrGroup();
    void g.go(() => Promise.reject(new Error('unreported')));
    await expect(g.wait()).rejects.toThrow('unreported');
    setCaptureSink(() => {
      throw new Error('sink fault');
    });
    try {
      const h = new ErrGroup();
      void h.go(() => Promise.reject(new Error('still the group error')));
      await expect(h.wait()).rejects.toThrow('still the group error');
    } finally {
      setCaptureSink(undefined);
    }
  });

  it('for a WaitGroup task whose done() someone else already called: reported, never thrown', async () => {
    const { captures, stop } = recordCaptures();
    try {
      const wg = new WaitGroup({ name: 'misused' });
      const gate = deferred();
      wg.go(() => gate.promise, { name: 'worker' });
      wg.done(); // wrong: the task's own done() comes when it settles
      gate.resolve();
      await tick();
      expect(wg.count).toBe(0);
      expect(captures).toHaveLength(1);
      expect(captures[0]!.error).toBeInstanceOf(NegativeCounterError);
      expect(captures[0]).toMatchObject({ mechanism: 'waitgroup', group: { name: 'misused', task: 'worker' } });
    } finally {
      stop();
    }
  });
});
