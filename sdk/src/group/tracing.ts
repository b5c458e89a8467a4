import type { GroupInfo, GroupInstrumentation, TaskInfo, TracedRun } from '../capture/instrumentation.js';

// Calls into the tracing hooks (sdk/src/capture/instrumentation.ts). A fault in tracing must not break a group.

export function traceGroupStart(ins: GroupInstrumentation, info: GroupInfo): unknown {
  try {
    return ins.groupStart(info);
  } catch {
    return undefined;
  }
}

export function traceGroupEnd(ins: GroupInstrumentation, handle: unknown, error: unknown): void {
  try {
    ins.groupEnd(handle, error);
  } catch {
    // ignored, see above
  }
}

/**
 * Runs a task's code through `runTask`. A synchronous throw is caught inside it and rethrown here once `keep` has the
 * run's `end` and `trace`: the group then ends the task's span and reports the failure with it, as for a rejection.
 */
export function traceTask(ins: GroupInstrumentation, info: TaskInfo, fn: () => unknown, keep: (run: TracedRun<unknown>) => void): unknown {
  let threw = false;
  let thrown: unknown;
  const run = ins.runTask(info, () => {
    try {
      return fn();
    } catch (error) {
      threw = true;
      thrown = error;
      return undefined;
    }
  });
  keep(run);
  if (threw) throw thrown;
  return run.result;
}

export function traceTaskEnd(end: (error: unknown) => void, error: unknown): void {
  try {
    end(error);
  } catch {
    // ignored, see above
  }
}
