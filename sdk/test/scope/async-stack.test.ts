import { readFile } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrGroup, WaitGroup, asyncStackOf, type SpawnChainEntry } from '@faultline/sdk';
import { groupDefaults, setGroupDefaults } from '../../src/group/defaults.js';
import { spawnChainOf } from '../../src/scope/async-stack.js';
import { CHAIN_CAP } from '../../src/scope/spawn-chain.js';
import { gc, lineOf, tick } from '../group/support.js';

const here = import.meta.url;
const line = (tag: string): number => lineOf(here, tag);
const FILE = 'async-stack.test.ts';

/** The first frame of each entry: where go(...) was called. */
const sites = (stack: SpawnChainEntry[]) => stack.map((e) => ({ task: e.task, file: e.frames[0]?.file, line: e.frames[0]?.line }));

const readMissing = (): Promise<void> =>
  new Promise<void>((resolve, reject) => readFile('/nonexistent/faultline', (err) => (err ? reject(err) : resolve())));

afterEach(() => setGroupDefaults({ spawnStacks: 'task' }));

describe('asyncStackOf', () => {
  it('shows the go(...) lines of this file across await, setTimeout and a callback API wrapped in a promise', async () => {
    const outer = new ErrGroup({ name: 'outer' });
    void outer.go(async function handleOrder() { // @line:outer
      await tick();
      await new Promise((resolve) => setTimeout(resolve, 1));
      const inner = new ErrGroup({ name: 'inner' });
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          void inner.go(async function loadInvoice() { // @line:timer
            await new Promise((r) => setTimeout(r, 1));
            await readMissing();
          });
          resolve();
        }, 1),
      );
      await inner.wait();
    });
    const err = (await outer.wait().catch((e: unknown) => e)) as NodeJS.ErrnoException;
    expect(err.code).toBe('ENOENT');
    // V8's own trace of an fs callback error holds none of this file's lines.
    expect(err.stack ?? '').not.toContain(FILE);
    const stack = asyncStackOf(err);
    expect(sites(stack)).toEqual([
      { task: 'loadInvoice', file: expect.stringContaining(FILE), line: line('timer') },
      { task: 'handleOrder', file: expect.stringContaining(FILE), line: line('outer') },
    ]);
    expect(stack.map((e) => [e.kind, e.group])).toEqual([
      ['errgroup', 'inner'],
      ['errgroup', 'outer'],
    ]);
  });

  it('shows three levels of nested groups, innermost first, for the error the innermost task threw and every level re-threw', async () => {
    const a = new ErrGroup({ name: 'a' });
    void a.go(async () => { // @line:level-a
      await tick();
      const b = new ErrGroup({ name: 'b' });
      void b.go(async () => { // @line:level-b
        await new Promise((r) => setTimeout(r, 1));
        const c = new ErrGroup({ name: 'c' });
        void c.go(async () => { // @line:level-c
          await tick();
          throw new Error('deep');
        });
        await c.wait();
      });
      await b.wait();
    });
    const err = await a.wait().catch((e: unknown) => e);
    expect((err as Error).message).toBe('deep');
    expect(sites(asyncStackOf(err)).map((s) => s.line)).toEqual([line('level-c'), line('level-b'), line('level-a')]);
    expect(asyncStackOf(err).map((e) => e.group)).toEqual(['c', 'b', 'a']);
  });

  it('starts each site at the caller’s line, not in the SDK', async () => {
    const g = new ErrGroup();
    void g.go(() => Promise.reject(new Error('x'))); // @line:first-frame
    const err = await g.wait().catch((e: unknown) => e);
    const [entry] = asyncStackOf(err);
    expect(entry!.frames).toHaveLength(1);
    expect(entry!.frames[0]).toMatchObject({ file: expect.stringContaining(FILE), line: line('first-frame') });
    expect(entry!.frames[0]!.column).toBeGreaterThan(0);
  });

  it('records tryGo sites and WaitGroup tasks (kind "waitgroup")', async () => {
    const wg = new WaitGroup({ name: 'wg' });
    let err: unknown;
    wg.go(async () => { // @line:wg
      const g = new ErrGroup({ name: 'eg' });
      g.tryGo(() => Promise.reject(new Error('x'))); // @line:try
      err = await g.wait().catch((e: unknown) => e);
    }, { name: 'worker' });
    await wg.wait();
    expect(asyncStackOf(err).map((e) => [e.kind, e.task, e.frames[0]?.line])).toEqual([
      ['errgroup', 'task 1', line('try')],
      ['waitgroup', 'worker', line('wg')],
    ]);
  });

  it("spawnStacks 'group' shows where the group was made; 'off' keeps names without frames", async () => {
    const grouped = new ErrGroup({ spawnStacks: 'group', name: 'grouped' }); // @line:group-made
    void grouped.go(() => Promise.reject(new Error('g')), { name: 'one' });
    const gErr = await grouped.wait().catch((e: unknown) => e);
    expect(asyncStackOf(gErr).map((e) => [e.task, e.frames[0]?.line])).toEqual([['one', line('group-made')]]);

    const off = new ErrGroup({ spawnStacks: 'off', name: 'off' });
    void off.go(() => Promise.reject(new Error('o')), { name: 'two' });
    const oErr = await off.wait().catch((e: unknown) => e);
    expect(asyncStackOf(oErr)).toEqual([{ kind: 'errgroup', group: 'off', task: 'two', frames: [] }]);
  });

  it('follows the process default set by setGroupDefaults (init({ spawnStacks }))', async () => {
    setGroupDefaults({ spawnStacks: 'off' });
    expect(groupDefaults().spawnStacks).toBe('off');
    const g = new ErrGroup();
    void g.go(() => Promise.reject(new Error('x')));
    expect(asyncStackOf(await g.wait().catch((e: unknown) => e))[0]!.frames).toEqual([]);
    expect(() => setGroupDefaults({ spawnStacks: 'sometimes' as never })).toThrow(/`spawnStacks`/);
  });

  it('works for frozen errors and is empty for anything no group task threw', async () => {
    const g = new ErrGroup();
    const frozen = Object.freeze(new Error('frozen'));
    void g.go(() => Promise.reject(frozen)); // @line:frozen
    await expect(g.wait()).rejects.toBe(frozen);
    expect(asyncStackOf(frozen)[0]!.frames[0]!.line).toBe(line('frozen'));
    for (const value of [new Error('plain'), 'string', null, undefined, 42, {}]) expect(asyncStackOf(value)).toEqual([]);
  });

  it("leaves the application's Error.stackTraceLimit as it was, and works without spawn sites when it is locked", async () => {
    const original = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit')!;
    try {
      Error.stackTraceLimit = 7;
      const g = new ErrGroup();
      void g.go(() => Promise.reject(new Error('a')));
      g.tryGo(() => undefined);
      new WaitGroup().go(() => undefined);
      expect(Error.stackTraceLimit).toBe(7);
      expect(asyncStackOf(await g.wait().catch((e: unknown) => e))[0]!.frames).toHaveLength(1);

      Object.defineProperty(Error, 'stackTraceLimit', { value: 5, writable: false, configurable: true });
      const locked = new ErrGroup();
      void locked.go(() => Promise.reject(new Error('b')));
      const wg = new WaitGroup();
      wg.go(() => undefined);
      wg.add(1);
      wg.done();
      expect(asyncStackOf(await locked.wait().catch((e: unknown) => e))[0]!.frames).toEqual([]);
    } finally {
      Object.defineProperty(Error, 'stackTraceLimit', original);
    }
  });

  it('caps the chain: a task that respawns itself 100,000 times keeps a bounded chain and bounded memory', async () => {
    const g = new ErrGroup({ name: 'respawn' });
    const GENERATIONS = 100_000;
    let n = 0;
    let heapAt10k = 0;
    let longestChain = 0;
    const worker = async (): Promise<void> => {
      await Promise.resolve();
      n++;
      if (n === 10_000) {
        gc();
        heapAt10k = process.memoryUsage().heapUsed;
      }
      if (n % 997 === 0) {
        // A failing child whose chain shows how many links are really held in memory (asyncStackOf cuts at 16).
        void g.go(() => Promise.reject(new Error('probe')), { optional: true, name: 'probe' });
      }
      if (n < GENERATIONS) void g.go(worker); // @line:respawn
      else throw new Error('last generation');
    };
    void g.go(worker);
    const err = await g.wait().catch((e: unknown) => e);
    gc();
    const heapGrowth = process.memoryUsage().heapUsed - heapAt10k;
    for (const probe of g.errors) {
      let length = 0;
      for (let l = spawnChainOf(probe); l !== undefined; l = l.parent) length++;
      longestChain = Math.max(longestChain, length);
    }
    expect((err as Error).message).toBe('last generation');
    const stack = asyncStackOf(err);
    expect(stack).toHaveLength(CHAIN_CAP);
    expect(stack.every((e) => e.frames[0]?.line === line('respawn'))).toBe(true);
    expect(longestChain).toBeGreaterThan(CHAIN_CAP);
    expect(longestChain).toBeLessThanOrEqual(2 * CHAIN_CAP);
    // 90,000 more generations: an unbounded chain would hold each one's link and frames (tens of MB).
    expect(heapGrowth).toBeLessThan(8 * 2 ** 20);
  });
});
