import type { SpawnSite } from '../report/build-report.js';
import type { ScopeData } from '../scope/scope-data.js';

// Where the client meets the scope and group modules (issue 2). Until they land, reports carry no scope
// context and no spawn chain.

/** The scope in effect here: what a report made here carries as `context`. */
export function scopeHere(): ScopeData | undefined {
  return undefined;
}

/** The spawn chain recorded for an error that escaped a group task, innermost first. */
export function asyncStackFor(_error: unknown): readonly SpawnSite[] | undefined {
  return undefined;
}

/** Applies `init({ spawnStacks })` to the groups' defaults. */
export function applySpawnStacks(_mode: 'task' | 'group' | 'off'): void {
  // Nothing to apply to yet.
}
