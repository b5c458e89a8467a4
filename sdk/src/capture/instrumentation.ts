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

export interface GroupInstrumentation {
  /** Called when a group is created; the returned handle is passed back to `groupEnd`. */
  groupStart(info: GroupInfo): unknown;
  /** Called once when the group settles (`wait()` settled, or it was disposed); `error` if it failed. */
  groupEnd(handle: unknown, error: unknown): void;
  /**
   * Runs a task. Must call `run` exactly once, synchronously, and return what it returns (a value or a
   * promise); `end` is then called by the group when the task settles, with its failure if any.
   */
  runTask<T>(info: TaskInfo, run: () => T): { result: T; end: (error: unknown) => void };
}

const KEY = Symbol.for('faultline.groupInstrumentation');
type Holder = { [KEY]?: GroupInstrumentation };

export function setGroupInstrumentation(instrumentation: GroupInstrumentation | undefined): void {
  (globalThis as Holder)[KEY] = instrumentation;
}

export function getGroupInstrumentation(): GroupInstrumentation | undefined {
  return (globalThis as Holder)[KEY];
}
