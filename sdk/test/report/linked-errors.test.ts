import { describe, expect, it } from 'vitest';
import { GroupError } from '../../src/errors.js';
import { LIMITS } from '../../src/report/limits.js';
import { aggregatedErrors, causeChain, linkedError } from '../../src/report/linked-errors.js';

describe('causeChain', () => {
  it('follows Error.cause, innermost last, with type, message, code and frames', () => {
    const root = Object.assign(new RangeError('disk full'), { code: 'ENOSPC' });
    const mid = new Error('write failed', { cause: root });
    const top = new Error('save failed', { cause: mid });
    const causes = causeChain(top)!;
    expect(causes.map((c) => [c.type, c.message])).toEqual([
      ['Error', 'write failed'],
      ['RangeError', 'disk full'],
    ]);
    expect(causes[1]!.code).toBe('ENOSPC');
    expect(causes[0]!.frames.length).toBeGreaterThan(0);
  });

  it(`stops at depth ${LIMITS.causes}`, () => {
    let e = new Error('e0');
    for (let i = 1; i <= 10; i++) e = new Error(`e${i}`, { cause: e });
    const causes = causeChain(e)!;
    expect(causes).toHaveLength(LIMITS.causes);
    expect(causes.map((c) => c.message)).toEqual(['e9', 'e8', 'e7', 'e6', 'e5']);
  });

  it('is safe with cycles', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(causeChain(a)!.map((c) => c.message)).toEqual(['b']);
    const self = new Error('self');
    (self as { cause?: unknown }).cause = self;
    expect(causeChain(self)).toBeUndefined();
  });

  it('keeps a cause that is not an Error, as a description', () => {
    const causes = causeChain(new Error('top', { cause: { status: 503 } }))!;
    expect(causes).toEqual([{ type: 'NonError', message: '{ status: 503 }', frames: [] }]);
    expect(causeChain(new Error('top', { cause: 'timeout' }))).toEqual([{ type: 'NonError', message: 'timeout', frames: [] }]);
  });

  it('survives a cause getter that throws', () => {
    const e = new Error('top');
    Object.defineProperty(e, 'cause', {
      get() {
        throw new Error('getter');
      },
    });
    expect(causeChain(e)).toBeUndefined();
  });

  it('returns undefined without a cause', () => {
    expect(causeChain(new Error('alone'))).toBeUndefined();
  });
});

describe('aggregatedErrors', () => {
  it('keeps what it read before a hostile errors array threw, and never throws', () => {
    const { proxy: revoked, revoke } = Proxy.revocable([new Error('gone')], {});
    revoke();
    expect(aggregatedErrors(Object.assign(new Error('agg'), { errors: revoked }))).toBeUndefined();
    const trapAt1 = new Proxy([new Error('first'), new Error('second')], {
      get(target, key, receiver) {
        if (key === '1') throw new Error('trap');
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    expect(aggregatedErrors(Object.assign(new Error('agg'), { errors: trapAt1 }))?.map((e) => e.message)).toEqual(['first']);
  });

  it('lists the members of an AggregateError', () => {
    const agg = new AggregateError([new TypeError('one'), 'two'], 'both failed');
    expect(aggregatedErrors(agg)!.map((e) => [e.type, e.message])).toEqual([
      ['TypeError', 'one'],
      ['NonError', 'two'],
    ]);
  });

  it('lists the members of a GroupError', () => {
    const group = new GroupError('checkout', [new Error('payment'), new Error('stock')]);
    expect(aggregatedErrors(group)!.map((e) => e.message)).toEqual(['payment', 'stock']);
  });

  it(`keeps at most ${LIMITS.aggregatedErrors} members`, () => {
    const agg = new AggregateError(Array.from({ length: 500 }, (_, i) => new Error(`m${i}`)));
    const errors = aggregatedErrors(agg)!;
    expect(errors).toHaveLength(LIMITS.aggregatedErrors);
    expect(errors[0]!.message).toBe('m0');
  });

  it('returns undefined for errors without members', () => {
    expect(aggregatedErrors(new Error('x'))).toBeUndefined();
    expect(aggregatedErrors(new AggregateError([]))).toBeUndefined();
  });
});

describe('linkedError', () => {
  it('uses the class name when name was left as Error', () => {
    class PaymentError extends Error {}
    expect(linkedError(new PaymentError('declined')).type).toBe('PaymentError');
  });
});
