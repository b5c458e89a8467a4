import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  DeadlineExceededError,
  ErrGroup,
  GroupClosedError,
  GroupError,
  GroupLimitError,
  NonErrorThrownError,
  currentSignal,
} from '@faultline/sdk';
import { deferred, recordCaptures, tick } from './support.js';

const never = (): Promise<never> => new Promise<never>(() => {});
const stopped = (signal: AbortSignal): Promise<never> =>
  new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));

describe('ErrGroup', () => {
  describe('fail-fast (default)', () => {
    it('aborts g.signal with the first error as its reason, and wait() rejects with it after every started task settled', async () => {
      const g = new ErrGroup();
      const first = new Error('first');
      const sibling = deferred();
      let siblingSettled = false;
      void g.go(async () => {
        await tick();
        throw first;
      });
      void g.go(async ({ signal }) => {
        await stopped(signal).catch(() => undefined);
        await sibling.promise;
        siblingSettled = true;
      });
      const outcome = g.wait().then(
        () => 'resolved',
        (e: unknown) => e,
      );
      await tick();
      await tick();
      expect(g.signal.aborted).toBe(true);
      expect(g.signal.reason).toBe(first);
      expect(siblingSettled).toBe(false);
      sibling.resolve();
      expect(await outcome).toBe(first);
      expect(siblingSettled).toBe(true);
    });

    it('keeps later failures on g.errors, in order of occurrence', async () => {
      const g = new ErrGroup();
      const a = new Error('a');
      const b = new Error('b');
      void g.go(async () => {
        await tick();
        throw a;
      });
      void g.go(async () => {
        await tick();
        await tick();
        throw b;
      });
      await expect(g.wait()).rejects.toBe(a);
      expect(g.errors).toEqual([a, b]);
    });

    it('never starts tasks still queued behind the limit after an abort', async () => {
      const g = new ErrGroup({ limit: 1 });
      let started = 0;
      void g.go(async () => {
        started++;
        await tick();
        throw new Error('boom');
      });
      for (let i = 0; i < 5; i++) {
        void g.go(() => {
          started++;
        });
      }
      await expect(g.wait()).rejects.toThrow('boom');
      expect(started).toBe(1);
    });

    it('counts the running siblings that stop with the abort as canceled, not as failures', async () => {
      const { captures, stop } = recordCaptures();
      try {
        const g = new ErrGroup();
        const boom = new Error('boom');
        void g.go(({ signal }) => stopped(signal)); // rejects with the reason itself
        void g.go(({ signal }) => stopped(signal).catch(() => Promise.reject(new DOMException('aborted', 'AbortError'))));
        void g.go(async () => {
          await tick();
          throw boom;
        });
        await expect(g.wait()).rejects.toBe(boom);
        expect(g.errors).toEqual([boom]);
        expect(captures.map((c) => c.error)).toEqual([boom]);
        expect(captures[0]!.group).toMatchObject({ failed: 1 });
      } finally {
        stop();
      }
    });
  });

  describe('go()', () => {
    it('returns a promise that resolves when the task has started', async () => {
      const g = new ErrGroup({ limit: 1 });
      const gate = deferred();
      const order: string[] = [];
      await g.go(async () => {
        order.push('first started');
        await gate.promise;
      });
      const second = g.go(() => {
        order.push('second started');
      });
      await tick();
      expect(order).toEqual(['first started']);
      gate.resolve();
      await second;
      expect(order).toEqual(['first started', 'second started']);
      await g.wait();
    });

    it('returns a promise that never rejects, and resolves when a queued task is skipped', async () => {
      const g = new ErrGroup({ limit: 1 });
      const first = g.go(() => Promise.reject(new Error('boom')));
      const queued = g.go(() => undefined);
      await expect(first).resolves.toBeUndefined();
      await expect(queued).resolves.toBeUndefined();
      await expect(g.wait()).rejects.toThrow('boom');
    });

    it('throws GroupClosedError after wait() has settled', async () => {
      const g = new ErrGroup({ name: 'closed' });
      void g.go(() => undefined);
      await g.wait();
      expect(() => g.go(() => undefined)).toThrow(GroupClosedError);
      expect(() => g.go(() => undefined)).toThrow(/'closed'/);
      expect(() => g.tryGo(() => undefined)).toThrow(GroupClosedError);
    });

    it('accepts go() from a running task while wait() is pending', async () => {
      const g = new ErrGroup();
      const seen: number[] = [];
      void g.go(async () => {
        await tick();
        void g.go(() => {
          seen.push(2);
        });
        seen.push(1);
      });
      await g.wait();
      expect(seen).toEqual([2, 1]);
    });

    it('passes the task result to nothing else and resolves wait() when every task succeeded', async () => {
      const g = new ErrGroup();
      const results: number[] = [];
      for (let i = 0; i < 10; i++) {
        void g.go(async () => {
          await tick();
          results.push(i);
        });
      }
      await expect(g.wait()).resolves.toBeUndefined();
      expect(results.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(g.errors).toEqual([]);
    });

    it('checks its arguments, naming the option', () => {
      const g = new ErrGroup();
      expect(() => g.go('nope' as never)).toThrow(/`fn` must be a function/);
      expect(() => g.go(() => undefined, { timeout: -1 })).toThrow(/`timeout`/);
      expect(() => g.go(() => undefined, { optional: 'yes' as never })).toThrow(/`optional`/);
      expect(() => g.go(() => undefined, { compensate: 1 as never })).toThrow(/`compensate`/);
      expect(() => g.go(() => undefined, { name: 1 as never })).toThrow(/`name`/);
    });
  });

  describe('failures', () => {
    it('treats a synchronous throw as a failure', async () => {
      const g = new ErrGroup();
      const boom = new Error('sync');
      void g.go(() => {
        throw boom;
      });
      await expect(g.wait()).rejects.toBe(boom);
    });

    it('wraps a thrown non-Error value in NonErrorThrownError that keeps the value', async () => {
      const g = new ErrGroup({ failFast: false });
      const value = { reason: 'not an error' };
      void g.go(() => {
        throw 'a string'; // eslint-disable-line @typescript-eslint/only-throw-error
      });
      void g.go(() => Promise.reject(value)); // eslint-disable-line @typescript-eslint/prefer-promise-reject-errors
      void g.go(() => Promise.reject(undefined)); // eslint-disable-line @typescript-eslint/prefer-promise-reject-errors
      const err = (await g.wait().catch((e: unknown) => e)) as GroupError;
      expect(err.errors.map((e: unknown) => (e as NonErrorThrownError).value)).toEqual(['a string', value, undefined]);
      expect(err.errors.every((e: unknown) => e instanceof NonErrorThrownError)).toBe(true);
      expect((err.errors[0] as Error).message).toContain('"a string"');
    });

    it('never lets a task rejection become an unhandled rejection, with or without wait()', async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        const g = new ErrGroup();
        void g.go(() => Promise.reject(new Error('never waited')));
        void g.go(async () => {
          await tick();
          throw new Error('later');
        });
        const h = new ErrGroup({ failFast: false });
        void h.go(() => Promise.reject(new Error('collected')));
        for (let i = 0; i < 5; i++) await tick();
        expect(unhandled).toEqual([]);
        expect(g.errors.map((e) => e.message)).toEqual(['never waited', 'later']);
        expect(h.errors.map((e) => e.message)).toEqual(['collected']);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });

    it('keeps each distinct failure once on g.errors, by identity, in order', async () => {
      const g = new ErrGroup({ failFast: false });
      const shared = new Error('shared');
      const other = new Error('other');
      void g.go(() => Promise.reject(shared));
      void g.go(async () => {
        await tick();
        throw other;
      });
      void g.go(async () => {
        await tick();
        await tick();
        throw shared;
      });
      for (let i = 0; i < 12; i++) void g.go(() => Promise.reject(new Error(`e${i}`)));
      await expect(g.wait()).rejects.toBeInstanceOf(GroupError);
      const errors = g.errors;
      expect(errors.filter((e) => e === shared)).toHaveLength(1);
      expect(errors.indexOf(shared)).toBeLessThan(errors.indexOf(other));
      expect(errors).toHaveLength(14);
    });
  });

  describe('collect mode (failFast: false)', () => {
    it('aborts nothing and rejects with a GroupError holding every failure in order of occurrence', async () => {
      const g = new ErrGroup({ name: 'collect', failFast: false });
      const a = new Error('a');
      const b = new Error('b');
      let completed = false;
      void g.go(async () => {
        await tick();
        await tick();
        throw b;
      });
      void g.go(() => Promise.reject(a));
      void g.go(async () => {
        await tick();
        await tick();
        await tick();
        completed = true;
      });
      const err = (await g.wait().catch((e: unknown) => e)) as GroupError;
      expect(err).toBeInstanceOf(GroupError);
      expect(err).toBeInstanceOf(AggregateError);
      expect(err.code).toBe('FAULTLINE_GROUP_FAILED');
      expect(err.errors).toEqual([a, b]);
      expect(err.message).toContain("'collect'");
      expect(completed).toBe(true);
      expect(g.signal.reason).not.toBe(a);
    });

    it('resolves when nothing failed', async () => {
      const g = new ErrGroup({ failFast: false });
      void g.go(() => 1);
      await expect(g.wait()).resolves.toBeUndefined();
    });
  });

  describe('optional tasks', () => {
    it('keep the failure on g.errors, report it as a warning, and neither abort the group nor reject wait()', async () => {
      const { captures, stop } = recordCaptures();
      try {
        const g = new ErrGroup({ name: 'degradable' });
        const soft = new Error('recommendations down');
        let otherFinished = false;
        void g.go(() => Promise.reject(soft), { optional: true, name: 'recommendations' });
        void g.go(async () => {
          await tick();
          await tick();
          otherFinished = true;
        });
        await expect(g.wait()).resolves.toBeUndefined();
        expect(otherFinished).toBe(true);
        expect(g.errors).toEqual([soft]);
        expect(captures).toHaveLength(1);
        expect(captures[0]).toMatchObject({ error: soft, level: 'warning', handled: true, mechanism: 'errgroup' });
        expect(captures[0]!.group).toMatchObject({ kind: 'errgroup', name: 'degradable', task: 'recommendations', optional: true });
      } finally {
        stop();
      }
    });
  });

  describe('timeouts', () => {
    it('per-task timeout: the task counts as failed at its deadline and the group does not wait for a task that ignores its signal', async () => {
      const g = new ErrGroup({ name: 'slow' });
      let taskSignal: AbortSignal | undefined;
      void g.go(
        ({ signal }) => {
          taskSignal = signal;
          return never(); // ignores its signal
        },
        { timeout: 20, name: 'stuck' },
      );
      const err = (await g.wait().catch((e: unknown) => e)) as DeadlineExceededError;
      expect(err).toBeInstanceOf(DeadlineExceededError);
      expect(err.code).toBe('FAULTLINE_DEADLINE_EXCEEDED');
      expect(err.timeoutMs).toBe(20);
      expect(err.elapsedMs).toBeGreaterThanOrEqual(0);
      expect(err.message).toContain("'stuck'");
      expect(taskSignal?.aborted).toBe(true);
      expect(taskSignal?.reason).toBe(err);
      expect(g.signal.reason).toBe(err);
    });

    it('per-task timeout frees the slot at the deadline', async () => {
      const g = new ErrGroup({ limit: 1, failFast: false });
      let secondRan = false;
      void g.go(() => never(), { timeout: 10, optional: true });
      void g.go(() => {
        secondRan = true;
      });
      await g.wait();
      expect(secondRan).toBe(true);
      expect(g.errors[0]).toBeInstanceOf(DeadlineExceededError);
    });

    it("a task's own signal also aborts with the group", async () => {
      const g = new ErrGroup();
      const boom = new Error('boom');
      let reason: unknown;
      void g.go(async ({ signal }) => {
        await stopped(signal).catch((e: unknown) => (reason = e));
      }, { timeout: 10_000 });
      void g.go(async () => {
        await tick();
        throw boom;
      });
      await expect(g.wait()).rejects.toBe(boom);
      expect(reason).toBe(boom);
    });

    it('group timeout aborts g.signal and rejects wait() with DeadlineExceededError carrying the limit and the time elapsed', async () => {
      const g = new ErrGroup({ name: 'bounded', timeout: 20, limit: 1 });
      let queuedRan = false;
      void g.go(({ signal }) => stopped(signal));
      void g.go(() => {
        queuedRan = true;
      });
      const err = (await g.wait().catch((e: unknown) => e)) as DeadlineExceededError;
      expect(err).toBeInstanceOf(DeadlineExceededError);
      expect(err.timeoutMs).toBe(20);
      expect(err.elapsedMs).toBeGreaterThanOrEqual(0);
      expect(err.message).toContain("'bounded'");
      expect(g.signal.reason).toBe(err);
      expect(queuedRan).toBe(false);
      expect(g.errors).toEqual([err]);
    });

    it('group timeout that passes after every task finished fails nothing: a late wait() resolves and nothing is reported', async () => {
      const { captures, stop } = recordCaptures();
      try {
        const g = new ErrGroup({ name: 'fast', timeout: 20 });
        void g.go(() => 'a');
        void g.go(async () => {
          await tick();
          return 'b';
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(g.signal.aborted).toBe(false);
        await expect(g.wait()).resolves.toBeUndefined();
        expect(g.errors).toEqual([]);
        expect(captures).toEqual([]);
      } finally {
        stop();
      }
    });

    it('group timeout that passed while the group was idle fails the group at once when a task is spawned, without starting it', async () => {
      const g = new ErrGroup({ name: 'late', timeout: 20 });
      void g.go(() => 'done');
      await new Promise((resolve) => setTimeout(resolve, 50));
      let ran = false;
      await g.go(() => {
        ran = true;
      });
      expect(g.tryGo(() => (ran = true))).toBe(false);
      const err = (await g.wait().catch((e: unknown) => e)) as DeadlineExceededError;
      expect(err).toBeInstanceOf(DeadlineExceededError);
      expect(err.timeoutMs).toBe(20);
      expect(g.signal.reason).toBe(err);
      expect(ran).toBe(false);
      expect(g.errors).toEqual([err]);
    });

    it('group timeout in collect mode rejects with a GroupError that includes the deadline', async () => {
      const g = new ErrGroup({ timeout: 20, failFast: false });
      const a = new Error('a');
      void g.go(() => Promise.reject(a));
      void g.go(({ signal }) => stopped(signal));
      const err = (await g.wait().catch((e: unknown) => e)) as GroupError;
      expect(err).toBeInstanceOf(GroupError);
      expect(err.errors[0]).toBe(a);
      expect(err.errors[1]).toBeInstanceOf(DeadlineExceededError);
    });
  });

  describe('compensate', () => {
    it('runs each succeeded task’s compensation with its result, in reverse completion order, before wait() rejects', async () => {
      const g = new ErrGroup();
      const log: string[] = [];
      const gateB = deferred();
      void g.go(async () => 'A', { compensate: (r) => void log.push(`undo ${r}`) });
      void g.go(async () => {
        await gateB.promise;
        return 'B';
      }, { compensate: async (r) => {
        await tick();
        log.push(`undo ${r}`);
      } });
      void g.go(async () => {
        await tick();
        return 'C';
      }, { compensate: (r) => void log.push(`undo ${r}`) });
      void g.go(async () => {
        await tick();
        await tick();
        gateB.resolve();
        await tick();
        await tick();
        throw new Error('step failed');
      });
      await expect(g.wait()).rejects.toThrow('step failed');
      // completed: A, C, B -> undone: B, C, A
      expect(log).toEqual(['undo B', 'undo C', 'undo A']);
    });

    it('does not compensate when the group succeeds, nor the failed task itself', async () => {
      const log: string[] = [];
      const ok = new ErrGroup();
      void ok.go(() => 1, { compensate: () => void log.push('undo ok') });
      await ok.wait();
      const failed = new ErrGroup();
      void failed.go(() => Promise.reject(new Error('x')), { compensate: () => void log.push('undo failed task') });
      await expect(failed.wait()).rejects.toThrow('x');
      expect(log).toEqual([]);
    });

    it('reports a compensation failure, attaches it to the rejection, and still runs the other compensations', async () => {
      const { captures, stop } = recordCaptures();
      try {
        const g = new ErrGroup({ name: 'saga' });
        const log: string[] = [];
        const undoFailed = new Error('undo failed');
        void g.go(() => 'first', { compensate: () => void log.push('undo first') });
        void g.go(() => 'second', { name: 'second', compensate: () => Promise.reject(undoFailed) });
        void g.go(async () => {
          await tick();
          throw new Error('step failed');
        });
        const err = (await g.wait().catch((e: unknown) => e)) as Error & { compensationErrors?: Error[] };
        expect(err.message).toBe('step failed');
        expect(err.compensationErrors).toEqual([undoFailed]);
        expect(log).toEqual(['undo first']);
        expect(g.errors).toEqual([err, undoFailed]);
        const report = captures.find((c) => c.error === undoFailed);
        expect(report).toMatchObject({ level: 'error', mechanism: 'errgroup' });
        expect(report?.group).toMatchObject({ name: 'saga', task: 'second' });
      } finally {
        stop();
      }
    });

    it('leaves the parent’s reason, shared by the groups it cancels, untouched; each group keeps its compensation failures on g.errors', async () => {
      const parent = new AbortController();
      const cancelled = new Error('request cancelled');
      const groups = ['a', 'b'].map((name) => {
        const g = new ErrGroup({ name, signal: parent.signal });
        const undoFailed = new Error(`undo of ${name} failed`);
        void g.go(() => 'reserved', { compensate: () => Promise.reject(undoFailed) });
        void g.go(({ signal }) => stopped(signal));
        return { g, undoFailed };
      });
      await tick();
      parent.abort(cancelled);
      for (const { g, undoFailed } of groups) {
        expect(await g.wait().catch((e: unknown) => e)).toBe(cancelled);
        expect(g.errors).toEqual([undoFailed]);
      }
      expect('compensationErrors' in cancelled).toBe(false);
    });

    it('keeps compensation failures on g.errors when the parent’s reason is not an object', async () => {
      const parent = new AbortController();
      const g = new ErrGroup({ signal: parent.signal });
      const undoFailed = new Error('undo failed');
      void g.go(() => 'reserved', { compensate: () => Promise.reject(undoFailed) });
      void g.go(({ signal }) => stopped(signal));
      await tick();
      parent.abort('shutdown');
      await expect(g.wait()).rejects.toBe('shutdown');
      expect(g.errors).toEqual([undoFailed]);
    });

    it('runs compensations without an aborted signal, so a rollback can use groups of its own', async () => {
      const g = new ErrGroup();
      let inner: string | undefined;
      void g.go(() => 'done', {
        compensate: async () => {
          expect(currentSignal()).toBeUndefined();
          const rollback = new ErrGroup();
          void rollback.go(() => {
            inner = 'rolled back';
          });
          await rollback.wait();
        },
      });
      void g.go(async () => {
        await tick();
        throw new Error('x');
      });
      await expect(g.wait()).rejects.toThrow('x');
      expect(inner).toBe('rolled back');
    });
  });

  describe('limit', () => {
    it('never exceeds a limit of 16: the observed maximum concurrency is 16 under load', async () => {
      const g = new ErrGroup({ limit: 16 });
      let running = 0;
      let max = 0;
      for (let i = 0; i < 2000; i++) {
        void g.go(async () => {
          running++;
          max = Math.max(max, running);
          for (let j = 0; j < i % 4; j++) await tick();
          await Promise.resolve();
          running--;
        });
      }
      await g.wait();
      expect(max).toBe(16);
    });

    it('tryGo starts a task only when a slot is free, and says whether it did', async () => {
      const g = new ErrGroup({ limit: 1 });
      const gate = deferred();
      let ran = 0;
      expect(g.tryGo(() => gate.promise)).toBe(true);
      expect(
        g.tryGo(() => {
          ran++;
        }),
      ).toBe(false);
      gate.resolve();
      await tick();
      expect(
        g.tryGo(() => {
          ran++;
        }),
      ).toBe(true);
      await g.wait();
      expect(ran).toBe(1);
    });

    it('setLimit: a negative n means no limit; 0 or a non-integer throws TypeError', async () => {
      const g = new ErrGroup({ limit: 1 });
      expect(() => g.setLimit(0)).toThrow(TypeError);
      expect(() => g.setLimit(1.5)).toThrow(/`limit`/);
      expect(() => g.setLimit(Number.NaN)).toThrow(TypeError);
      g.setLimit(-1);
      const gates = [deferred(), deferred(), deferred()];
      for (const gate of gates) expect(g.tryGo(() => gate.promise)).toBe(true);
      for (const gate of gates) gate.resolve();
      await g.wait();
      expect(() => new ErrGroup({ limit: 0 })).toThrow(/`limit`/);
    });

    it('setLimit while tasks run throws GroupLimitError and leaves the limit unchanged', async () => {
      const g = new ErrGroup({ limit: 2 });
      const gate = deferred();
      void g.go(() => gate.promise);
      expect(() => g.setLimit(5)).toThrow(GroupLimitError);
      expect(g.tryGo(() => gate.promise)).toBe(true);
      expect(g.tryGo(() => gate.promise)).toBe(false); // still 2
      gate.resolve();
      await g.wait();
    });
  });

  describe('cancellation', () => {
    it('a start deferred past 64 nested synchronous starts does not run once its group aborted first', async () => {
      const outside = new AbortController(); // the wrapper groups' parent: it never aborts
      const parent = new AbortController();
      let leaf: ErrGroup | undefined;
      let ran = false;
      const nest = (n: number): void => {
        if (n === 0) {
          leaf = new ErrGroup({ name: 'leaf', signal: parent.signal });
          void leaf.go(() => {
            ran = true;
          });
          parent.abort(new Error('cancelled right after go()'));
          return;
        }
        void new ErrGroup({ name: `wrap ${n}`, signal: outside.signal }).go(() => nest(n - 1));
      };
      nest(64); // the leaf's start is the 65th nested one: deferred to a microtask
      await expect(leaf!.wait()).rejects.toThrow('cancelled right after go()');
      expect(ran).toBe(false);
    });

    it('a task with its own timeout has a signal without a listener limit, like the group’s, for the groups it makes', async () => {
      const warned: unknown[] = [];
      const onWarning = (w: Error & { target?: unknown }): void => void warned.push(w.target);
      process.on('warning', onWarning);
      try {
        const g = new ErrGroup();
        const signals: AbortSignal[] = [];
        const listen = ({ signal }: { signal: AbortSignal }): Promise<void> => {
          signals.push(signal);
          // As 12 nested groups would: one abort listener each, past Node's default limit of 10.
          const listeners = Array.from({ length: 12 }, () => () => undefined);
          for (const l of listeners) signal.addEventListener('abort', l);
          for (const l of listeners) signal.removeEventListener('abort', l);
          return new Promise((r) => setImmediate(r));
        };
        void g.go(listen, { timeout: 10_000 });
        void g.go(listen);
        await g.wait();
        await new Promise((r) => setImmediate(r)); // warnings are emitted on a later tick
        expect(signals).toHaveLength(2);
        expect(warned.filter((target) => signals.includes(target as AbortSignal))).toEqual([]);
      } finally {
        process.off('warning', onWarning);
      }
    });

    it('a nested group inherits the signal of the task that makes it, through AsyncLocalStorage, and cancels with the same reason', async () => {
      const outer = new ErrGroup({ name: 'outer' });
      const boom = new Error('boom');
      let innerSignal: AbortSignal | undefined;
      let innerOutcome: unknown;
      void outer.go(async () => {
        const inner = new ErrGroup({ name: 'inner' });
        innerSignal = inner.signal;
        void inner.go(({ signal }) => stopped(signal));
        innerOutcome = await inner.wait().catch((e: unknown) => e);
        throw innerOutcome;
      });
      void outer.go(async () => {
        await tick();
        throw boom;
      });
      await expect(outer.wait()).rejects.toBe(boom);
      expect(innerSignal?.aborted).toBe(true);
      expect(innerSignal?.reason).toBe(boom);
      expect(innerOutcome).toBe(boom);
      expect(outer.errors).toEqual([boom]);
    });

    it('a group made with an already aborted signal skips its tasks and rejects with the reason', async () => {
      const reason = new Error('request gone');
      const g = new ErrGroup({ signal: AbortSignal.abort(reason) });
      let ran = false;
      await g.go(() => {
        ran = true;
      });
      await expect(g.wait()).rejects.toBe(reason);
      expect(ran).toBe(false);
      expect(g.signal.reason).toBe(reason);
    });

    it('counts tasks that stop with a parent reason that is not an Error as canceled, not as failures', async () => {
      const { captures, stop } = recordCaptures();
      try {
        const parent = new AbortController();
        const g = new ErrGroup({ signal: parent.signal });
        void g.go(async ({ signal }) => {
          await tick();
          signal.throwIfAborted();
        });
        void g.go(({ signal }) => stopped(signal));
        parent.abort('shutdown');
        await expect(g.wait()).rejects.toBe('shutdown');
        expect(g.errors).toEqual([]);
        expect(captures).toEqual([]);
      } finally {
        stop();
      }
    });

    it('removes its listener from the parent signal when it settles: many groups on one long-lived signal leave none', async () => {
      const parent = new AbortController();
      for (let i = 0; i < 200; i++) {
        const g = new ErrGroup({ signal: parent.signal, failFast: i % 2 === 0 });
        void g.go(async () => {
          await Promise.resolve();
          if (i % 3 === 0) throw new Error('x');
        });
        await g.wait().catch(() => undefined);
      }
      expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
    });

    it('removes nested groups’ listeners from their task’s signal too', async () => {
      const outer = new ErrGroup();
      let listeners = -1;
      void outer.go(async ({ signal }) => {
        for (let i = 0; i < 50; i++) {
          const inner = new ErrGroup();
          void inner.go(() => null);
          await inner.wait();
        }
        listeners = getEventListeners(signal, 'abort').length;
      });
      await outer.wait();
      expect(listeners).toBe(0);
    });

    it('aborts g.signal when wait() settles', async () => {
      const g = new ErrGroup();
      void g.go(() => undefined);
      expect(g.signal.aborted).toBe(false);
      await g.wait();
      expect(g.signal.aborted).toBe(true);
    });

    it('await using: disposing aborts the tasks and waits for them, without throwing', async () => {
      let stoppedWith: unknown;
      let finished = false;
      let signal: AbortSignal | undefined;
      {
        await using g = new ErrGroup();
        signal = g.signal;
        void g.go(async ({ signal: s }) => {
          await stopped(s).catch((e: unknown) => (stoppedWith = e));
          await tick();
          finished = true;
        });
        await tick();
      }
      expect(finished).toBe(true);
      expect((stoppedWith as Error).name).toBe('AbortError');
      expect(signal.aborted).toBe(true);
    });
  });

  describe('options', () => {
    it('checks the constructor options, naming each', () => {
      expect(() => new ErrGroup({ name: 3 as never })).toThrow(/`name`/);
      expect(() => new ErrGroup({ signal: {} as never })).toThrow(/`signal`/);
      expect(() => new ErrGroup({ timeout: 0 })).toThrow(/`timeout`/);
      expect(() => new ErrGroup({ timeout: 2 ** 32 })).toThrow(/`timeout`/);
      expect(() => new ErrGroup({ failFast: 'no' as never })).toThrow(/`failFast`/);
      expect(() => new ErrGroup({ spawnStacks: 'all' as never })).toThrow(/`spawnStacks`/);
      expect(() => new ErrGroup(null as never)).toThrow(/`options`/);
    });

    it('has a name, default "errgroup"', () => {
      expect(new ErrGroup().name).toBe('errgroup');
      expect(new ErrGroup({ name: 'x' }).name).toBe('x');
    });
  });

  it('survives a task that synchronously respawns itself thousands of times', async () => {
    const g = new ErrGroup();
    let n = 0;
    const respawn = (): void => {
      if (++n < 10_000) void g.go(respawn);
    };
    void g.go(respawn);
    await g.wait();
    expect(n).toBe(10_000);
  });
});
