/**
 * How much of each spawn site a group records: `'task'` captures where each `go(...)` was called (about 1–2 µs
 * per task on Node 20), `'group'` only where the group was made, `'off'` nothing (the chain keeps names only).
 */
export type SpawnStacks = 'task' | 'group' | 'off';

export interface GroupDefaults {
  spawnStacks: SpawnStacks;
}

// Process-wide, shared by every loaded copy of the SDK (init() in one copy sets it for groups of the other).
const KEY = Symbol.for('faultline.groupDefaults.v1');
type Holder = { [KEY]?: GroupDefaults };
const defaults: GroupDefaults = ((globalThis as Holder)[KEY] ??= { spawnStacks: 'task' });

/** Sets the defaults of groups made from now on (`init({ spawnStacks })`). */
export function setGroupDefaults(options: Partial<GroupDefaults>): void {
  if (options.spawnStacks !== undefined) defaults.spawnStacks = spawnStacksOption('setGroupDefaults', options.spawnStacks);
}

export function groupDefaults(): Readonly<GroupDefaults> {
  return defaults;
}

export function spawnStacksOption(where: string, value: unknown): SpawnStacks {
  if (value === 'task' || value === 'group' || value === 'off') return value;
  throw new TypeError(`${where}: \`spawnStacks\` must be 'task', 'group' or 'off', got ${JSON.stringify(value)}`);
}
