import type { Trace } from '../report/schema.js';
import type { ScopeData } from '../scope/scope-data.js';
import type { SpawnLink } from '../scope/spawn-chain.js';
import type { SpawnSite } from '../scope/spawn-site.js';
import { SpawnedTask } from './spawned-task.js';
import type { WaitGroupState } from './wait-group-state.js';

/** One `wg.go` task. It runs with the signal of the code that spawned it (a WaitGroup has none of its own). */
export class WaitGroupTask extends SpawnedTask {
  readonly startedAt = Date.now();
  /** Tracing's end-of-task hook. */
  end: ((error: unknown) => void) | undefined = undefined;
  /** The task's span, for the report of its failure. */
  trace: Trace | undefined = undefined;

  constructor(
    readonly group: WaitGroupState,
    fn: () => unknown,
    name: string | undefined,
    scope: ScopeData,
    readonly signal: AbortSignal | undefined,
    parentLink: SpawnLink | undefined,
    site: SpawnSite | undefined,
    index: number,
  ) {
    super(fn, name, scope, parentLink, site, index);
  }

  get kind(): 'waitgroup' {
    return 'waitgroup';
  }

  get groupName(): string {
    return this.group.name;
  }

  call(): unknown {
    const ins = this.group.ins;
    return ins === undefined ? (this.fn as () => unknown)() : this.group.traced(this, ins);
  }

  fulfilled(): void {
    this.group.taskSettled(this, false, undefined);
  }

  rejected(reason: unknown): void {
    this.group.taskSettled(this, true, reason);
  }
}
