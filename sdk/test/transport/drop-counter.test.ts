import { describe, expect, it } from 'vitest';
import { DropCounter } from '../../src/transport/drop-counter.js';

describe('DropCounter', () => {
  it('counts by reason', () => {
    const d = new DropCounter();
    d.add('sample_rate');
    d.add('sample_rate', 2);
    d.add('http_401', 5);
    expect(d.snapshot()).toEqual({ sample_rate: 3, http_401: 5 });
    expect(d.get('sample_rate')).toBe(3);
  });

  it('has no snapshot when nothing was dropped', () => {
    expect(new DropCounter().snapshot()).toBeUndefined();
  });

  it('forgets delivered counts and keeps those added since', () => {
    const d = new DropCounter();
    d.add('before_send', 3);
    const sent = d.snapshot()!;
    d.add('before_send', 2);
    d.add('queue_overflow');
    d.subtract(sent);
    expect(d.snapshot()).toEqual({ before_send: 2, queue_overflow: 1 });
  });
});
