import { describe, expect, it } from 'vitest';
import { sentryError } from '../../../src/interop/sentry/sentry-exceptions.js';

const frame = (fn: string) => ({ filename: `/app/${fn}.js`, function: fn, lineno: 1, colno: 1, in_app: true });
const value = (type: string, v: string, mechanism?: object) => ({ type, value: v, stacktrace: { frames: [frame(`${type}Fn`)] }, mechanism });

describe('sentryError', () => {
  it('takes the last exception value as the error and the earlier ones as its causes, nearest first (Sentry lists oldest first)', () => {
    const error = sentryError({ values: [value('RootCause', 'disk'), value('Middle', 'io'), value('Top', 'failed')] });
    expect(error).toMatchObject({ type: 'Top', message: 'failed' });
    expect(error!.causes!.map((c) => c.type)).toEqual(['Middle', 'RootCause']);
    expect(error!.causes![0]!.frames[0]!.function).toBe('MiddleFn');
  });

  it("follows Sentry's exception tree: cause links from the error down, AggregateError members as `errors` in order", () => {
    // As @sentry/core's linked-errors integration writes them: each new exception is put in front.
    const values = [
      value('MemberCause', 'm1 cause', { type: 'chained', source: 'cause', exception_id: 3, parent_id: 2 }),
      value('Member1', 'second', { type: 'chained', source: 'errors[1]', exception_id: 2, parent_id: 0 }),
      value('Member0', 'first', { type: 'chained', source: 'errors[0]', exception_id: 1, parent_id: 0 }),
      value('AggregateError', 'all failed', { type: 'generic', handled: true, is_exception_group: true, exception_id: 0 }),
    ];
    const error = sentryError({ values });
    expect(error!.type).toBe('AggregateError');
    expect(error!.errors!.map((e) => e.type)).toEqual(['Member0', 'Member1']);
    expect(error!.causes).toBeUndefined();
  });

  it('keeps `handled` from the error\'s mechanism (absent: handled)', () => {
    expect(sentryError({ values: [value('E', 'x', { type: 'auto.node.onuncaughtexception', handled: false })] })!.handled).toBe(false);
    expect(sentryError({ values: [value('E', 'x')] })!.handled).toBe(true);
  });

  it('cuts the cause chain at 5 and names an exception without a type Error', () => {
    const chain = Array.from({ length: 8 }, (_, i) => value(`E${i}`, String(i)));
    expect(sentryError({ values: chain })!.causes).toHaveLength(5);
    expect(sentryError({ values: [{ value: 'no type' }] })).toMatchObject({ type: 'Error', message: 'no type' });
  });

  it('accepts the bare list form and returns undefined without exception values', () => {
    expect(sentryError([value('E', 'x')])!.type).toBe('E');
    expect(sentryError({ values: [] })).toBeUndefined();
    expect(sentryError(undefined)).toBeUndefined();
  });
});
