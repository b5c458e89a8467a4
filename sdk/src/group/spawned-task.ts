import type { Context } from '../scope/context.js';
import type { ScopeData } from '../scope/scope-data.js';
import { linkUnder, type GroupKind, type SpawnLink } from '../scope/spawn-chain.js';
import { siteFrames, type SpawnSite } from '../scope/spawn-site.js';

/**
 * A task of an ErrGroup or a WaitGroup, and the AsyncLocalStorage store its code runs with (its scope, its
 * signal, its place in the spawn chain), so spawning costs one object. Kept small: with thousands of tasks in
 * flight, the bytes per task are what the garbage collector pays for.
 */
export abstract class SpawnedTask implements Context {
  private label: string | undefined;
  private chain: SpawnLink | undefined = undefined;

  constructor(
    public fn: ((ctx: never) => unknown) | undefined,
    label: string | undefined,
    public scope: ScopeData,
    readonly parentLink: SpawnLink | undefined,
    public site: SpawnSite | undefined,
    readonly index: number,
  ) {
    this.label = label;
  }

  abstract readonly signal: AbortSignal | undefined;
  abstract readonly kind: GroupKind;
  abstract readonly groupName: string;

  /** Calls the task function (through tracing when it is on). */
  abstract call(): unknown;
  abstract fulfilled(value: unknown): void;
  abstract rejected(reason: unknown): void;

  /**
   * Asked when a deferred start comes (see runTask): true when the task must not run any more, in which case it
   * has been settled as cancelled. Only an ErrGroup cancels tasks.
   */
  cancelledBeforeStart(): boolean {
    return false;
  }

  get name(): string {
    return (this.label ??= this.fn?.name || `task ${this.index}`);
  }

  /** This task's link in the spawn chain, made on first use (a child spawned from it, or its failure). */
  get link(): SpawnLink {
    return (this.chain ??= linkUnder(this.parentLink, this.kind, this.groupName, this.name, this.site));
  }

  /**
   * The task is over: drop its function, and its unformatted spawn site unless the chain still needs it (a
   * child or an error points here), in which case the site becomes plain frames and stops pinning anything.
   */
  release(): void {
    if (this.chain !== undefined) siteFrames(this.site);
    this.fn = undefined;
    this.site = undefined;
  }
}
