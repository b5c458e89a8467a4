import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { NegativeCounterError, WaitGroup, WaitTimeoutError, currentScope, setTag, withScope } from '@faultline/sdk';
import { deferred, lineOf, recordCaptures, tick } from './support.js';

const here = import.meta.url;

describe('WaitGroup', () => {
  describe('add / done', () => {
    it('add() below zero throws NegativeCounterError and leaves the counter unchanged', async () => {
      const wg = new WaitGroup({ name: 'counter' });
      wg.add(2);
      expect(() => wg.add(-3)).toThrow(NegativeCounterError);
      try {
        wg.add(-3);
      } catch (e) {
        expect(e).toMatchObject({ code: 'FAULTLINE_NEGATIVE_COUNTER', counter: 2, delta: -3 });
      }
      expect(wg.count).toBe(2);
      wg.done();
      wg.done();
      expect(wg.count).toBe(0);
      await expect(wg.wait()).resolves.toBeUndefined();
    });

    it('done() called twice throws NegativeCounterError the second time', () => {
      const wg = new WaitGroup();
      wg.add(1);
      wg.done();
      expect(() => wg.done()).toThrow(NegativeCounterError);
      expect(wg.count).toBe(0);
    });

    it("done() before add() (Go's Add after the goroutine started) throws NegativeCounterError", () => {
      const wg = new WaitGroup();
      expect(() => wg.done()).toThrow(NegativeCounterError);
      expect(wg.count).toBe(0);
      wg.add(1);
      expect(wg.count).toBe(1);
    });

    it('add() takes an integer delta, default 1', () => {
      const wg = new WaitGroup();
      wg.add();
      expect(wg.count).toBe(1);
      expect(() => wg.add(1.5)).toThrow(/`delta` must be an integer/);
      expect(() => wg.add('2' as never)).toThrow(TypeError);
      expect(wg.count).toBe(1);
    });
  });

  describe('wait()', () => {
    it('resolves when the counter reaches zero, and at once when it is zero', async () => {
      const wg = new WaitGroup();
      await expect(wg.wait()).resolves.toBeUndefined();
      wg.add(2);
      let resolved = false;
      const waiting = wg.wait().then(() => (resolved = true));
      wg.done();
      await tick();
      expect(resolved).toBe(false);
      wg.done();
      await waiting;
      expect(resolved).toBe(true);
    });

    it('wait({ timeout }) rejects with WaitTimeoutError whose pending lists the name, spawn site and start time of each unfinished task', async () => {
      const wg = new WaitGroup({ name: 'workers' });
      const gate = deferred();
      const before = Date.now();
      wg.go(() => gate.promise, { name: 'slow-worker' }); // @line:wg-go
      wg.go(async () => undefined, { name: 'fast-worker' });
      await tick();
      const err = (await wg.wait({ timeout: 20 }).catch((e: unknown) => e)) as WaitTimeoutError;
      expect(err).toBeInstanceOf(WaitTimeoutError);
      expect(err.code).toBe('FAULTLINE_WAIT_TIMEOUT');
      expect(err.timeoutMs).toBe(20);
      expect(err.pending).toHaveLength(1);
      const [pending] = err.pending;
      expect(pending!.name).toBe('slow-worker');
      expect(pending!.startedAt).toBeGreaterThanOrEqual(before);
      expect(pending!.startedAt).toBeLessThanOrEqual(Date.now());
      expect(pending!.site[0]).toMatchObject({ line: lineOf(here, 'wg-go') });
      expect(pending!.site[0]!.file).toContain('wait-group.test.ts');
      expect(err.message).toContain('slow-worker');
      expect(err.message).toContain(`wait-group.test.ts:${lineOf(here, 'wg-go')}`);
      gate.resolve();
      await wg.wait();
    });

    it('a forgotten done(): wait({ timeout }) names the add() that was never answered and where it was made', async () => {
      const wg = new WaitGroup({ name: 'forgetful' });
      wg.add(1);
      wg.done();
      wg.add(1); // @line:forgotten
      const err = (await wg.wait({ timeout: 10 }).catch((e: unknown) => e)) as WaitTimeoutError;
      expect(err).toBeInstanceOf(WaitTimeoutError);
      expect(err.pending.map((p) => p.name)).toEqual(['add #2']);
      expect(err.pending[0]!.site[0]).toMatchObject({ line: lineOf(here, 'forgotten') });
      expect(err.message).toMatch(/forgetful.*add #2/);
    });

    it('wait({ signal }) rejects with the signal’s reason and removes its listener', async () => {
      const wg = new WaitGroup();
      wg.add(1);
      const controller = new AbortController();
      const reason = new Error('stop waiting');
      const waiting = wg.wait({ signal: controller.signal });
      controller.abort(reason);
      await expect(waiting).rejects.toBe(reason);
      await expect(wg.wait({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
      const other = new AbortController();
      const done = wg.wait({ signal: other.signal });
      wg.done();
      await done;
      expect(getEventListeners(other.signal, 'abort')).toHaveLength(0);
    });

    it('checks its options', () => {
      const wg = new WaitGroup();
      expect(() => wg.wait({ timeout: -5 })).toThrow(/`timeout`/);
      expect(() => wg.wait({ signal: 'x' as never })).toThrow(/`signal`/);
    });
  });

  describe('go()', () => {
    it('adds one, runs the function, and calls done() when it settles', async () => {
      const wg = new WaitGroup();
      const gate = deferred();
      let ran = false;
      wg.go(async () => {
        await gate.promise;
        ran = true;
      });
      expect(wg.count).toBe(1);
      gate.resolve();
      await wg.wait();
      expect(ran).toBe(true);
      expect(wg.count).toBe(0);
    });

    it('keeps failures on wg.errors, reports them, and does not reject wait()', async () => {
      const { captures, stop } = recordCaptures();
      try {
        const wg = new WaitGroup({ name: 'fire-and-forget' });
        const boom = new Error('boom');
        wg.go(() => Promise.reject(boom), { name: 'sender' });
        wg.go(() => {
          throw 'thrown string'; // eslint-disable-line @typescript-eslint/only-throw-error
        });
        wg.go(() => undefined);
        await expect(wg.wait()).resolves.toBeUndefined();
        // In order of occurrence: the synchronous throw happened inside go(), the rejection a microtask later.
        expect(wg.errors[0]).toMatchObject({ name: 'NonErrorThrownError', value: 'thrown string' });
        expect(wg.errors[1]).toBe(boom);
        expect(captures.map((c) => c.mechanism)).toEqual(['waitgroup', 'waitgroup']);
        expect(captures[1]).toMatchObject({ error: boom, level: 'error', handled: true });
        expect(captures[1]!.group).toMatchObject({ kind: 'waitgroup', name: 'fire-and-forget', task: 'sender', failFast: false });
      } finally {
        stop();
      }
    });

    it('runs each task in its own scope', async () => {
      const wg = new WaitGroup();
      const seen: Record<string, string>[] = [];
      await withScope({ tags: { request: 'r1' } }, async () => {
        for (const id of ['a', 'b']) {
          wg.go(async () => {
            setTag('task', id);
            await tick();
            seen.push({ ...currentScope().tags });
          });
        }
        await wg.wait();
        expect(currentScope().tags).toEqual({ request: 'r1' });
      });
      expect(seen).toEqual([
        { request: 'r1', task: 'a' },
        { request: 'r1', task: 'b' },
      ]);
    });

    it('checks its arguments', () => {
      const wg = new WaitGroup();
      expect(() => wg.go(5 as never)).toThrow(/`fn` must be a function/);
      expect(() => wg.go(() => undefined, { name: 5 as never })).toThrow(/`name`/);
      expect(wg.count).toBe(0);
    });
  });

  it('has a name, default "waitgroup"', () => {
    expect(new WaitGroup().name).toBe('waitgroup');
    expect(() => new WaitGroup({ spawnStacks: 'x' as never })).toThrow(/`spawnStacks`/);
  });
});
