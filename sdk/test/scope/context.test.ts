import { describe, expect, it } from 'vitest';
import { ErrGroup } from '@faultline/sdk';
import * as asyncStack from '../../src/scope/async-stack.js';
import * as context from '../../src/scope/context.js';
import * as defaults from '../../src/group/defaults.js';

/** Evaluates a module a second time, as a second copy of the package in node_modules would be. */
async function secondCopy<T>(path: string): Promise<T> {
  return (await import(/* @vite-ignore */ `${path}?second-copy`)) as T;
}

describe('context', () => {
  it('is one AsyncLocalStorage for the whole process: a second copy of the SDK shares it, through globalThis', async () => {
    const copy = await secondCopy<typeof context>('../../src/scope/context.js');
    expect(copy).not.toBe(context);
    expect(copy.storage).toBe(context.storage);
    expect(copy.rootContext).toBe(context.rootContext);
  });

  it('lets a second copy read the scope, signal and spawn chain the first copy set', async () => {
    const copy = await secondCopy<typeof context>('../../src/scope/context.js');
    const stackCopy = await secondCopy<typeof asyncStack>('../../src/scope/async-stack.js');
    const g = new ErrGroup();
    let seen: AbortSignal | undefined;
    void g.go(() => {
      seen = copy.currentContext().signal;
      throw new Error('x');
    });
    const err = await g.wait().catch((e: unknown) => e);
    expect(seen).toBe(g.signal);
    expect(stackCopy.asyncStackOf(err)).toEqual(asyncStack.asyncStackOf(err));
    expect(stackCopy.asyncStackOf(err)).toHaveLength(1);
  });

  it('shares the group defaults with a second copy', async () => {
    const copy = await secondCopy<typeof defaults>('../../src/group/defaults.js');
    copy.setGroupDefaults({ spawnStacks: 'group' });
    try {
      expect(defaults.groupDefaults().spawnStacks).toBe('group');
    } finally {
      defaults.setGroupDefaults({ spawnStacks: 'task' });
    }
  });
});
