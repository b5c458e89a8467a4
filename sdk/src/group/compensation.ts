import type { Context } from '../scope/context.js';
import { storage } from '../scope/context.js';
import type { ScopeData } from '../scope/scope-data.js';
import type { SpawnLink } from '../scope/spawn-chain.js';
import type { ErrGroupState } from './err-group-state.js';
import { toError } from './failure.js';
import type { GroupTask } from './task.js';

// A compensation runs with its task's scope and spawn chain, but no signal: the group's has aborted, and a
// rollback must not be cut short by it (nor must groups made inside it).
class CompensationContext implements Context {
  readonly signal = undefined;
  scope: ScopeData;

  constructor(private readonly task: GroupTask) {
    this.scope = task.scope;
  }

  get link(): SpawnLink {
    return this.task.link;
  }
}

/**
 * Runs the `compensate` of each task that succeeded, last completed first, one at a time. A failure is recorded
 * on the group and the next compensation still runs. Never rejects.
 */
export async function runCompensations(group: ErrGroupState, tasks: readonly GroupTask[]): Promise<void> {
  for (let i = tasks.length - 1; i >= 0; i--) {
    const task = tasks[i]!;
    const compensate = task.options!.compensate!;
    const result = task.x?.result;
    if (task.x !== undefined) task.x.result = undefined;
    try {
      await storage.run(new CompensationContext(task), compensate, result);
    } catch (thrown) {
      group.compensationFailed(task, toError(thrown));
    }
  }
}

/** Puts the compensations' failures on the group's rejection as `compensationErrors` (not enumerable). */
export function attachCompensationErrors(rejection: unknown, errors: readonly Error[]): void {
  try {
    Object.defineProperty(rejection, 'compensationErrors', { value: errors, configurable: true });
  } catch {
    // A frozen error: they are still on g.errors.
  }
}
