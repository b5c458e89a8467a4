import { describe, expect, it } from 'vitest';
import { ErrGroup, WaitGroup, asyncStackOf } from '@faultline/sdk';
import { captureSite, siteFrames } from '../../src/scope/spawn-site.js';
import { collected, deferred, lineOf, tick } from '../group/support.js';

const here = import.meta.url;

interface Big {
  readonly payload: number[];
}

const big = (): Big => ({ payload: new Array<number>(200_000).fill(1) });

// Each helper makes a large object and calls the SDK from a function whose closure holds it (and with it as
// receiver): that function is the captured frame of the spawn site, so an unformatted capture of it keeps the
// object alive. Each returns a WeakRef to the object.

function goHolding(g: ErrGroup, fn: () => Promise<void>): WeakRef<Big> {
  const held = big();
  const holder = function (this: Big): number {
    void g.go(fn);
    return held.payload.length;
  };
  holder.call(held);
  return new WeakRef(held);
}

function wgGoHolding(wg: WaitGroup, fn: () => Promise<void>): WeakRef<Big> {
  const held = big();
  const holder = function (this: Big): number {
    wg.go(fn);
    return held.payload.length;
  };
  holder.call(held);
  return new WeakRef(held);
}

function addHolding(wg: WaitGroup): WeakRef<Big> {
  const held = big();
  const holder = function (this: Big): number {
    wg.add(1);
    return held.payload.length;
  };
  holder.call(held);
  return new WeakRef(held);
}

function groupMadeHolding(made: ErrGroup[]): WeakRef<Big> {
  const held = big();
  const holder = function (this: Big): number {
    made.push(new ErrGroup({ spawnStacks: 'group' }));
    return held.payload.length;
  };
  holder.call(held);
  return new WeakRef(held);
}

function captureHolding(kept: object[]): WeakRef<Big> {
  const held = big();
  const holder = function (this: Big): number {
    kept.push(new Error('capture'));
    return held.payload.length;
  };
  holder.call(held);
  return new WeakRef(held);
}

// Task functions made here, outside the holding frame, so only the spawn site could pin the object.
const quick = async (): Promise<void> => {
  await tick();
};
const failing = async (): Promise<void> => {
  await tick();
  throw new Error('failed');
};

describe('spawn sites', () => {
  it('(control) an unformatted V8 capture pins the objects of the frames it captured', async () => {
    const kept: object[] = [];
    const ref = captureHolding(kept);
    expect(await collected(ref)).toBe(false);
    void (kept[0] as Error).stack; // formatting releases them
    expect(await collected(ref)).toBe(true);
  });

  it('do not pin user objects once a task has succeeded', async () => {
    const g = new ErrGroup();
    const ref = goHolding(g, quick);
    await g.wait();
    expect(await collected(ref)).toBe(true);
  });

  it('do not pin user objects after a task failed, while its error (and its spawn chain) is kept', async () => {
    const g = new ErrGroup();
    const ref = goHolding(g, failing);
    const err = await g.wait().catch((e: unknown) => e);
    expect(await collected(ref)).toBe(true);
    expect(asyncStackOf(err)[0]!.frames[0]!.function).toMatch(/holder$/);
  });

  it('do not pin user objects once a task has finished while children it spawned still run', async () => {
    const g = new ErrGroup();
    const gate = deferred();
    const parent = async (): Promise<void> => {
      await tick();
      void g.go(async () => { // @line:child
        await gate.promise;
        throw new Error('child failed');
      });
    };
    const ref = goHolding(g, parent);
    for (let i = 0; i < 5; i++) await tick(); // the parent is done, the child waits
    expect(await collected(ref)).toBe(true);
    gate.resolve();
    const childErr = await g.wait().catch((e: unknown) => e);
    const stack = asyncStackOf(childErr);
    expect(stack[0]!.frames[0]!.line).toBe(lineOf(here, 'child'));
    expect(stack[1]!.frames[0]!.function).toMatch(/holder$/); // the parent's site, kept as plain frames
  });

  it("do not pin user objects once a WaitGroup's add() was answered by done()", async () => {
    const wg = new WaitGroup();
    const ref = addHolding(wg);
    wg.done();
    expect(await collected(ref)).toBe(true);
    const ref2 = wgGoHolding(wg, quick);
    await wg.wait();
    expect(await collected(ref2)).toBe(true);
  });

  it("with spawnStacks 'group', do not pin user objects once the group has settled, though the group is kept", async () => {
    const made: ErrGroup[] = [];
    const ref = groupMadeHolding(made);
    const g = made[0]!;
    void g.go(quick);
    void g.go(quick);
    await g.wait();
    expect(await collected(ref)).toBe(true);
    expect(g.errors).toEqual([]);
  });

  it('format once, into plain frames, and release the capture', () => {
    const site = captureSite(captureSite);
    const frames = siteFrames(site);
    expect(siteFrames(site)).toBe(frames);
    expect(Object.isFrozen(frames)).toBe(true);
    expect(frames[0]).toEqual({ file: expect.stringContaining('spawn-site.test.ts'), function: expect.any(String), line: expect.any(Number), column: expect.any(Number) });
    expect((site as { stack?: unknown }).stack).toBeUndefined();
    expect(siteFrames(undefined)).toEqual([]);
  });
});
