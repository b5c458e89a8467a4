import { AsyncLocalStorage } from 'node:async_hooks';
import { EMPTY_SCOPE_DATA, type ScopeData } from './scope-data.js';
import type { SpawnLink } from './spawn-chain.js';

/**
 * What runs with the code: the store of the process-wide AsyncLocalStorage. A group task is one (its scope,
 * its signal, its place in the spawn chain); so is each `withScope` frame. `scope` is replaced, never mutated.
 */
export interface Context {
  scope: ScopeData;
  readonly signal: AbortSignal | undefined;
  readonly link: SpawnLink | undefined;
}

interface Shared {
  readonly storage: AsyncLocalStorage<Context>;
  /** Where code outside any task or scope runs: `setTag` there sets a process-wide tag. */
  readonly root: Context;
}

// One AsyncLocalStorage per process, even when two copies of the SDK are loaded: each enabled store taxes every
// promise on Node 20, and a second copy must see the scopes and signals of the first.
const KEY = Symbol.for('faultline.context.v1');
type Holder = { [KEY]?: Shared };
const holder = globalThis as Holder;
const shared: Shared = (holder[KEY] ??= {
  storage: new AsyncLocalStorage<Context>(),
  root: { scope: EMPTY_SCOPE_DATA, signal: undefined, link: undefined },
});

export const storage: AsyncLocalStorage<Context> = shared.storage;
export const rootContext: Context = shared.root;

/** The context of the running code; the root context outside any task or scope. */
export function currentContext(): Context {
  return storage.getStore() ?? rootContext;
}
