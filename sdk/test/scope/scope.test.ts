import { AsyncLocalStorage } from 'node:async_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ErrGroup,
  currentScope,
  currentSignal,
  setContext,
  setTag,
  setTags,
  setUser,
  withScope,
} from '@faultline/sdk';
import { rootContext } from '../../src/scope/context.js';
import { EMPTY_SCOPE_DATA } from '../../src/scope/scope-data.js';
import { deferred, tick } from '../group/support.js';

afterEach(() => {
  // Tags set outside any scope are process-wide; put the root scope back for the next test.
  rootContext.scope = EMPTY_SCOPE_DATA;
});

describe('withScope', () => {
  it('runs fn in a child scope merged onto the current one, and returns what fn returns', () => {
    const result = withScope({ tags: { service: 'api', attempt: 1, cached: false } }, () =>
      withScope({ tags: { route: '/orders' }, extra: { a: 1 } }, () => {
        expect(currentScope().tags).toEqual({ service: 'api', attempt: '1', cached: 'false', route: '/orders' });
        expect(currentScope().extra).toEqual({ a: 1 });
        return 42;
      }),
    );
    expect(result).toBe(42);
    expect(currentScope()).toBe(EMPTY_SCOPE_DATA);
  });

  it('replaces user and request, merges tags and extra', () => {
    withScope({ user: { id: 'u1', email: 'a@b.c' }, request: { method: 'GET' }, extra: { a: 1 } }, () => {
      withScope({ user: { id: 'u2' }, request: { url: '/x' }, extra: { b: 2 } }, () => {
        expect(currentScope().user).toEqual({ id: 'u2' });
        expect(currentScope().request).toEqual({ url: '/x' });
        expect(currentScope().extra).toEqual({ a: 1, b: 2 });
      });
    });
  });

  it('keeps tags set inside the scope inside it', async () => {
    await withScope({ tags: { outer: 'yes' } }, async () => {
      await withScope({}, async () => {
        setTag('inner', 'yes');
        await tick();
        expect(currentScope().tags).toEqual({ outer: 'yes', inner: 'yes' });
      });
      expect(currentScope().tags).toEqual({ outer: 'yes' });
    });
  });

  it('hands out scopes that cannot be mutated in place', () => {
    withScope({ tags: { a: '1' } }, () => {
      const scope = currentScope();
      expect(Object.isFrozen(scope)).toBe(true);
      expect(Object.isFrozen(scope.tags)).toBe(true);
    });
  });

  it('checks its arguments', () => {
    expect(() => withScope(null as never, () => 1)).toThrow(/`data` must be an object/);
    expect(() => withScope({}, 'x' as never)).toThrow(/`fn` must be a function/);
    expect(() => withScope({ tags: { a: {} as never } }, () => 1)).toThrow(/tag 'a'/);
    expect(() => withScope({ user: 'bob' as never }, () => 1)).toThrow(/`user`/);
  });
});

describe('setTag, setTags, setUser, setContext', () => {
  it('change the current scope only (copy-on-write): the scope around it and scopes made earlier keep theirs', () => {
    withScope({ tags: { a: '1' } }, () => {
      const before = currentScope();
      withScope({}, () => {
        setTag('b', '2');
        setTags({ c: 3, d: true });
        setUser({ id: 'u1' });
        setContext('order', { id: 7 });
        expect(currentScope()).toEqual({ tags: { a: '1', b: '2', c: '3', d: 'true' }, user: { id: 'u1' }, extra: { order: { id: 7 } } });
      });
      expect(currentScope()).toBe(before);
      expect(before.tags).toEqual({ a: '1' });
    });
  });

  it('setUser(null) clears the user; setContext(key, undefined) removes the key', () => {
    withScope({ user: { id: 'u' }, extra: { k: 1, j: 2 } }, () => {
      setUser(null);
      setContext('k', undefined);
      expect(currentScope().user).toBeUndefined();
      expect(currentScope().extra).toEqual({ j: 2 });
    });
  });

  it('outside any scope, set the process-wide scope that tasks start from', async () => {
    setTag('region', 'eu');
    const g = new ErrGroup();
    let seen: unknown;
    void g.go(() => {
      seen = currentScope().tags;
    });
    await g.wait();
    expect(seen).toEqual({ region: 'eu' });
  });

  it('check their arguments', () => {
    expect(() => setTag('', 'x')).toThrow(/`key`/);
    expect(() => setTag('k', undefined as never)).toThrow(/tag 'k'/);
    expect(() => setTags(null as never)).toThrow(/`tags`/);
    expect(() => setUser('bob' as never)).toThrow(/`user`/);
    expect(() => setContext(3 as never, 1)).toThrow(/`key`/);
  });
});

describe('tasks and scopes', () => {
  it('copy-on-write: concurrent tasks never see each other’s tags', async () => {
    const g = new ErrGroup();
    const seen = new Map<number, Record<string, string>>();
    await withScope({ tags: { request: 'r' } }, async () => {
      for (let i = 0; i < 50; i++) {
        void g.go(async () => {
          setTag('task', String(i));
          for (let j = 0; j < (i % 5) + 1; j++) await tick();
          setTag(`step-${i}`, 'done');
          await tick();
          seen.set(i, { ...currentScope().tags });
        });
      }
      await g.wait();
      expect(currentScope().tags).toEqual({ request: 'r' });
    });
    for (let i = 0; i < 50; i++) expect(seen.get(i)).toEqual({ request: 'r', task: String(i), [`step-${i}`]: 'done' });
  });

  it('a task starts from the scope its spawner had when it called go(), not later changes', async () => {
    const g = new ErrGroup();
    let seen: unknown;
    await withScope({}, async () => {
      setTag('when', 'before go');
      const gate = deferred();
      void g.go(async () => {
        await gate.promise;
        seen = currentScope().tags;
      });
      setTag('when', 'after go');
      gate.resolve();
      await g.wait();
    });
    expect(seen).toEqual({ when: 'before go' });
  });

  it('queued tasks run in the context of the code that called go(), not of the task that freed the slot: 100 concurrent contexts through a limit', async () => {
    const g = new ErrGroup({ limit: 4 });
    const own = new AsyncLocalStorage<number>(); // an application's own store must follow too
    const mismatches: string[] = [];
    let started = 0;
    const callers: Promise<void>[] = [];
    for (let i = 0; i < 100; i++) {
      callers.push(
        own.run(i, () =>
          withScope({ tags: { caller: String(i) } }, async () => {
            await tick();
            await g.go(async () => {
              started++;
              if (currentScope().tags.caller !== String(i)) mismatches.push(`scope of ${i}: ${currentScope().tags.caller}`);
              if (own.getStore() !== i) mismatches.push(`store of ${i}: ${own.getStore()}`);
              await tick();
              if (currentScope().tags.caller !== String(i)) mismatches.push(`scope of ${i} after await`);
            });
          }),
        ),
      );
    }
    await Promise.all(callers);
    await g.wait();
    expect(started).toBe(100);
    expect(mismatches).toEqual([]);
  });
});

describe('currentSignal', () => {
  it('is undefined outside tasks, the task’s signal inside one (also inside withScope), and its own one with a timeout', async () => {
    expect(currentSignal()).toBeUndefined();
    const g = new ErrGroup();
    const seen: (AbortSignal | undefined)[] = [];
    let own: AbortSignal | undefined;
    void g.go(async ({ signal }) => {
      await tick();
      seen.push(currentSignal(), signal);
      withScope({ tags: { x: '1' } }, () => seen.push(currentSignal()));
    });
    void g.go(
      ({ signal }) => {
        own = signal;
        seen.push(currentSignal());
      },
      { timeout: 60_000 },
    );
    await g.wait();
    expect(seen[0]).toBe(own);
    expect(seen[1]).toBe(g.signal);
    expect(seen[2]).toBe(g.signal);
    expect(seen[3]).toBe(g.signal);
    expect(own).not.toBe(g.signal);
  });
});
