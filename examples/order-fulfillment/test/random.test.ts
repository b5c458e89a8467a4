import { describe, expect, it } from 'vitest';
import { randomFor, seededRandom } from '../src/random.js';

const take = (random: () => number, n: number): number[] => Array.from({ length: n }, random);

describe('seededRandom', () => {
  it('gives the same sequence for the same seed, in [0, 1)', () => {
    const a = take(seededRandom(42), 1000);
    expect(take(seededRandom(42), 1000)).toEqual(a);
    expect(a.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(take(seededRandom(43), 1000)).not.toEqual(a);
  });
});

describe('randomFor', () => {
  it('depends on the seed and the key only, not on what was drawn before', () => {
    const first = take(randomFor(42, 'ORD-00001/risk'), 3);
    take(randomFor(42, 'ORD-00002/risk'), 10);
    expect(take(randomFor(42, 'ORD-00001/risk'), 3)).toEqual(first);
    expect(take(randomFor(42, 'ORD-00001/points'), 3)).not.toEqual(first);
    expect(take(randomFor(7, 'ORD-00001/risk'), 3)).not.toEqual(first);
  });
});
