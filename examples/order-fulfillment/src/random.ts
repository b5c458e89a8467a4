/** A generator of numbers in [0, 1), repeatable from its seed (mulberry32). */
export type Random = () => number;

/** The same seed gives the same sequence, so a demo run can be repeated exactly. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A generator for one key (an order's call to one service) under the run's seed. Each call draws from its own
 * sequence, so what happens to an order does not depend on the order in which concurrent calls happen to run.
 */
export function randomFor(runSeed: number, key: string): Random {
  let hash = 0x811c9dc5 ^ runSeed; // FNV-1a over the key, starting from the run's seed
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return seededRandom(hash);
}

/** One of `items`, chosen by `random`. */
export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}
