import type { Trace } from '../report/schema.js';

/**
 * Hooks through which tracing (OpenTelemetry, `init({ tracing: true })`) wraps groups and tasks.
 * Absent by default, so groups pay one property read per task when tracing is off.
 */
export interface GroupInfo {
  readonly kind: 'errgroup' | 'waitgroup';
  readonly name: string;
}

export interface TaskInfo extends GroupInfo {
  readonly task: string;
}

/** A task run through `runTask`. */
export interface TracedRun<T> {
  readonly result: T;
  /** Called by the group when the task settles, with its failure if any. */
  readonly end: (error: unknown) => void;
  /**
   * The ids of the task's own span. A failure of the task is reported with them (and recorded on that span by
   * `end`), not with whatever span is active where the group notices it.
   */
  readonly trace?: Trace;
}

export interface GroupInstrumentation {
  /** Called when a group is created; the returned handle is passed back to `groupEnd`. */
  groupStart(info: GroupInfo): unknown;
  /** Called once when the group settles (`wait()` settled, or it was disposed); `error` if it failed. */
  groupEnd(handle: unknown, error: unknown): void;
  /**
   * Runs a task. Must call `run` exactly once, synchronously, and return what it returns (a value or a
   * promise); `end` is then called by the group when the task settles, with its failure if any.
   */
  runTask<T>(info: TaskInfo, run: () => T): TracedRun<T>;
}

const KEY = Symbol.for('faultline.groupInstrumentation');
type Holder = { [KEY]?: GroupInstrumentation };

export function setGroupInstrumentation(instrumentation: GroupInstrumentation | undefined): void {
  (globalThis as Holder)[KEY] = instrumentation;
}

export function getGroupInstrumentation(): GroupInstrumentation | undefined {
  return (globalThis as Holder)[KEY];
}
