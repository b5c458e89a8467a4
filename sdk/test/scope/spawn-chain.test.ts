import { describe, expect, it } from 'vitest';
import { CHAIN_CAP, linkUnder, type SpawnLink } from '../../src/scope/spawn-chain.js';

const names = (link: SpawnLink | undefined): string[] => {
  const out: string[] = [];
  for (let l = link; l !== undefined; l = l.parent) out.push(l.task);
  return out;
};

describe('linkUnder', () => {
  it('chains links under their parent with increasing depth', () => {
    const root = linkUnder(undefined, 'errgroup', 'g', 'root', undefined);
    const child = linkUnder(root, 'waitgroup', 'w', 'child', undefined);
    expect(root.depth).toBe(0);
    expect(child).toMatchObject({ kind: 'waitgroup', group: 'w', task: 'child', depth: 1, parent: root });
  });

  it('never holds more than 2 × CHAIN_CAP links, and always the newest ones, in order', () => {
    let link: SpawnLink | undefined;
    let longest = 0;
    for (let i = 0; i < 10_000; i++) {
      link = linkUnder(link, 'errgroup', 'g', `t${i}`, undefined);
      const held = names(link);
      longest = Math.max(longest, held.length);
      expect(held.slice(0, Math.min(CHAIN_CAP, i + 1))).toEqual(
        Array.from({ length: Math.min(CHAIN_CAP, i + 1) }, (_, k) => `t${i - k}`),
      );
    }
    expect(longest).toBe(2 * CHAIN_CAP);
  });
});
