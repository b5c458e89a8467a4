import { captureFailure, hasCaptureSink } from '../capture/sink.js';
import { NonErrorThrownError } from '../errors.js';
import type { GroupFacts, Level, Trace } from '../report/schema.js';
import type { ScopeData } from '../scope/scope-data.js';

/** What a task threw, as an Error: non-Error values are wrapped, keeping the value. */
export function toError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new NonErrorThrownError(thrown);
}

/**
 * Whether a task's rejection, after its group was aborted, is only the echo of that abort: the abort reason
 * itself, or an AbortError (what fetch, timers and streams reject with when their signal aborts). `thrown` is
 * the raw value, before `toError`: a reason that is not an Error (`abort('shutdown')`) must still match itself.
 */
export function isCancellation(thrown: unknown, reason: unknown): boolean {
  return thrown === reason || (thrown instanceof Error && thrown.name === 'AbortError');
}

/**
 * Hands a group failure to the client (when one is initialised), with the facts of its group, and the span of the
 * failed task when tracing made one.
 */
export function reportGroupFailure(error: Error, level: Level, facts: () => GroupFacts, scope: ScopeData, trace?: Trace): void {
  if (!hasCaptureSink()) return;
  const group = facts();
  captureFailure({ error, level, handled: true, mechanism: group.kind, group, scope, ...(trace !== undefined ? { trace } : {}) });
}

/** What a report says about the ErrGroup whose task failed. */
export function errGroupFacts(
  group: {
    readonly name: string;
    readonly failFast: boolean;
    readonly started: number;
    readonly failed: number;
    readonly canceled: number;
    readonly createdAt: number;
  },
  task: string,
  optional: boolean,
): GroupFacts {
  return {
    kind: 'errgroup',
    name: group.name,
    task,
    failFast: group.failFast,
    optional,
    started: group.started,
    failed: group.failed,
    canceled: group.canceled,
    elapsedMs: Math.max(0, performance.now() - group.createdAt),
  };
}
