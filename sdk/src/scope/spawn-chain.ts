import type { SpawnSite } from './spawn-site.js';

/** Links of a spawn chain that `asyncStackOf` reports; the chain in memory holds at most twice as many. */
export const CHAIN_CAP = 16;

export type GroupKind = 'errgroup' | 'waitgroup';

/**
 * One task in a spawn chain: which group and task, where it was spawned, and the task that spawned it. Made
 * only when needed (a task spawns a child, or fails), and holds nothing of the task but names and its site.
 */
export class SpawnLink {
  constructor(
    readonly kind: GroupKind,
    readonly group: string,
    readonly task: string,
    readonly site: SpawnSite | undefined,
    readonly parent: SpawnLink | undefined,
    /** Links above this one (0 for a root). */
    readonly depth: number,
  ) {}
}

/**
 * A link under `parent`. When the chain reaches 2 × CHAIN_CAP, the newest CHAIN_CAP - 1 ancestors are copied
 * into a fresh chain (sites are shared, so a later materialisation is seen by both) and the old one is left to
 * the GC: memory stays bounded however many generations a task respawns itself, at amortised O(1) per link.
 */
export function linkUnder(
  parent: SpawnLink | undefined,
  kind: GroupKind,
  group: string,
  task: string,
  site: SpawnSite | undefined,
): SpawnLink {
  if (parent === undefined) return new SpawnLink(kind, group, task, site, undefined, 0);
  if (parent.depth + 1 < 2 * CHAIN_CAP) return new SpawnLink(kind, group, task, site, parent, parent.depth + 1);
  const kept: SpawnLink[] = [];
  for (let l: SpawnLink | undefined = parent; l !== undefined && kept.length < CHAIN_CAP - 1; l = l.parent) kept.push(l);
  let copy: SpawnLink | undefined;
  for (let i = kept.length - 1; i >= 0; i--) {
    const l = kept[i]!;
    copy = new SpawnLink(l.kind, l.group, l.task, l.site, copy, copy === undefined ? 0 : copy.depth + 1);
  }
  return new SpawnLink(kind, group, task, site, copy, copy === undefined ? 0 : copy.depth + 1);
}
