import { setGroupDefaults } from '../group/defaults.js';
import type { SpawnSite } from '../report/build-report.js';
import { asyncStackOf } from '../scope/async-stack.js';
import { currentScope } from '../scope/scope.js';
import type { ScopeData } from '../scope/scope-data.js';

// Where the client meets the scope and group modules: the only imports of them on the reporting path.

/** The scope in effect here: what a report made here carries as `context`. */
export function scopeHere(): ScopeData | undefined {
  try {
    return currentScope();
  } catch {
    return undefined;
  }
}

/** The spawn chain recorded for an error that escaped a group task, innermost first; undefined if none. */
export function asyncStackFor(error: unknown): readonly SpawnSite[] | undefined {
  try {
    const chain = asyncStackOf(error);
    return chain.length > 0 ? chain : undefined;
  } catch {
    return undefined;
  }
}

/** Applies `init({ spawnStacks })` to the defaults of groups made from now on. */
export function applySpawnStacks(mode: 'task' | 'group' | 'off'): void {
  setGroupDefaults({ spawnStacks: mode });
}
