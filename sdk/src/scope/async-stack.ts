import type { SiteFrame } from '../errors.js';
import { CHAIN_CAP, type GroupKind, type SpawnLink } from './spawn-chain.js';
import { siteFrames } from './spawn-site.js';

/** One link of an error's spawn chain: the task that failed, then the task that spawned it, and so on. */
export interface SpawnChainEntry {
  readonly kind: GroupKind;
  /** The group's name. */
  readonly group: string;
  /** The task's name. */
  readonly task: string;
  /** Where `go(...)` was called (with `spawnStacks: 'group'`, where the group was made), innermost first. */
  readonly frames: readonly SiteFrame[];
}

// Shared by every loaded copy of the SDK, like the AsyncLocalStorage, so either copy reads the other's chains.
const CHAIN = Symbol.for('faultline.spawnChain.v1');
const FALLBACK = Symbol.for('faultline.spawnChainFallback.v1');
type Holder = { [FALLBACK]?: WeakMap<object, SpawnLink> };
const fallback: WeakMap<object, SpawnLink> = ((globalThis as Holder)[FALLBACK] ??= new WeakMap());

/**
 * Records on `error` the chain of the task it escaped from. O(1). The first chain set stays: an error re-thrown
 * by enclosing tasks (an inner group's first error) keeps the innermost task's chain. Returns false if `error`
 * already had one (it was already handled by a group).
 */
export function attachSpawnChain(error: object, link: SpawnLink): boolean {
  if (spawnChainOf(error) !== undefined) return false;
  try {
    Object.defineProperty(error, CHAIN, { value: link, configurable: true, enumerable: false, writable: false });
  } catch {
    // A frozen error: keep the chain beside it.
    fallback.set(error, link);
  }
  return true;
}

/** The chain recorded on `error`, if any. */
export function spawnChainOf(error: unknown): SpawnLink | undefined {
  if ((typeof error !== 'object' || error === null) && typeof error !== 'function') return undefined;
  try {
    const own = Object.getOwnPropertyDescriptor(error, CHAIN);
    if (own !== undefined) return own.value as SpawnLink;
    return fallback.get(error);
  } catch {
    return undefined; // a revoked Proxy
  }
}

/**
 * The spawn chain of an error that escaped a group task: innermost first, one entry per task up to the root
 * (at most 16), each with the frames where that task was spawned. Empty for an error no group task threw.
 *
 * @example
 * try { await g.wait() } catch (err) { for (const e of asyncStackOf(err)) console.log(e.task, e.frames[0]) }
 */
export function asyncStackOf(error: unknown): SpawnChainEntry[] {
  const out: SpawnChainEntry[] = [];
  for (let l = spawnChainOf(error); l !== undefined && out.length < CHAIN_CAP; l = l.parent) {
    out.push({ kind: l.kind, group: l.group, task: l.task, frames: siteFrames(l.site) });
  }
  return out;
}
