import { describe, expect, it } from 'vitest';
import { RingQueue } from '../../src/transport/ring-queue.js';

function drain<T>(q: RingQueue<T>): T[] {
  const out: T[] = [];
  for (let v = q.shift(); v !== undefined; v = q.shift()) out.push(v);
  return out;
}

describe('RingQueue', () => {
  it('is first in, first out', () => {
    const q = new RingQueue<number>(4);
    [1, 2, 3].forEach((n) => q.push(n));
    expect(q.peek()).toBe(1);
    expect(drain(q)).toEqual([1, 2, 3]);
    expect(q.length).toBe(0);
  });

  it('evicts and returns the oldest item when full', () => {
    const q = new RingQueue<number>(3);
    [1, 2, 3].forEach((n) => q.push(n));
    expect(q.push(4)).toBe(1);
    expect(drain(q)).toEqual([2, 3, 4]);
  });

  it('puts items back at the front, refusing when full', () => {
    const q = new RingQueue<number>(3);
    q.push(2);
    q.push(3);
    expect(q.unshift(1)).toBeUndefined();
    expect(q.unshift(0)).toBe(0);
    expect(drain(q)).toEqual([1, 2, 3]);
  });

  it('wraps around its array many times', () => {
    const q = new RingQueue<number>(5);
    const seen: number[] = [];
    for (let i = 0; i < 100; i++) {
      q.push(i);
      if (i % 2 === 1) seen.push(q.shift()!, q.shift()!);
    }
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
