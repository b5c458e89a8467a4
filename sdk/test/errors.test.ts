import { describe, expect, it } from 'vitest';
import * as sdk from '@faultline/sdk';
import * as errors from '../src/errors.js';

// Every class of the errors module: exported from the package, with a stable, unique code.
type ErrorClass = (abstract new (...args: never[]) => Error) & { readonly code: string };
const classes = (Object.entries(errors) as [string, unknown][]).filter(
  (entry): entry is [string, ErrorClass] =>
    typeof entry[1] === 'function' && (entry[1] as { prototype?: unknown }).prototype instanceof Error,
);

describe('errors', () => {
  it('gives every error class a stable code, listed once in ERROR_CODES', () => {
    expect(classes.length).toBeGreaterThanOrEqual(7);
    const codes = classes.map(([, cls]) => cls.code);
    for (const code of codes) expect(code).toMatch(/^FAULTLINE_[A-Z_]+$/);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...errors.ERROR_CODES].sort()).toEqual([...codes].sort());
    expect(new Set(errors.ERROR_CODES).size).toBe(errors.ERROR_CODES.length);
  });

  it('exports every error class and ERROR_CODES from the package', () => {
    for (const [name, cls] of classes) expect((sdk as Record<string, unknown>)[name]).toBe(cls);
    expect(sdk.ERROR_CODES).toBe(errors.ERROR_CODES);
  });

  it.each([
    [new sdk.DeadlineExceededError("task 'x'", 100, 101.4), 'DeadlineExceededError', 'FAULTLINE_DEADLINE_EXCEEDED', /task 'x' exceeded its deadline of 100 ms \(after 101 ms\)/],
    [new sdk.GroupError('g', [new Error('a')]), 'GroupError', 'FAULTLINE_GROUP_FAILED', /1 task of group 'g' failed/],
    [new sdk.GroupClosedError('g'), 'GroupClosedError', 'FAULTLINE_GROUP_CLOSED', /go\(\) was called after wait\(\) settled/],
    [new sdk.GroupLimitError('g', 3), 'GroupLimitError', 'FAULTLINE_GROUP_LIMIT', /3 tasks are still active/],
    [new sdk.NegativeCounterError('w', 0, -1), 'NegativeCounterError', 'FAULTLINE_NEGATIVE_COUNTER', /counter 0 \+ -1 would go below zero/],
    [new sdk.WaitTimeoutError('w', 50, []), 'WaitTimeoutError', 'FAULTLINE_WAIT_TIMEOUT', /still waiting after 50 ms/],
    [new sdk.NonErrorThrownError(42), 'NonErrorThrownError', 'FAULTLINE_NON_ERROR_THROWN', /non-error value thrown: 42/],
  ])('%s has its name, code and message', (error, name, code, message) => {
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect((error as { code: string }).code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.stack).toContain(name);
  });

  it('GroupError is an AggregateError of the failures', () => {
    const a = new Error('a');
    const err = new sdk.GroupError('g', [a]);
    expect(err).toBeInstanceOf(AggregateError);
    expect(err.errors).toEqual([a]);
    expect(err.group).toBe('g');
  });

  it('NonErrorThrownError keeps the thrown value and describes it briefly', () => {
    const value = { a: 1 };
    const err = new sdk.NonErrorThrownError(value);
    expect(err.value).toBe(value);
    expect(err.message).toBe('non-error value thrown: {"a":1}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(new sdk.NonErrorThrownError(cyclic).message).toBe('non-error value thrown: [object Object]');
    expect(new sdk.NonErrorThrownError('x'.repeat(500)).message.length).toBeLessThan(260);
    expect(new sdk.NonErrorThrownError(undefined).message).toBe('non-error value thrown: undefined');
  });

  it('WaitTimeoutError lists the pending tasks with where they started', () => {
    const pending = [{ name: 'worker', site: [{ file: '/app/a.ts', function: 'main', line: 3, column: 7 }], startedAt: Date.now() - 10, count: 1 }];
    const err = new sdk.WaitTimeoutError('w', 50, pending);
    expect(err.pending).toBe(pending);
    expect(err.message).toMatch(/1 task: worker \(running \d+ ms at \/app\/a\.ts:3:7\)/);
  });
});
