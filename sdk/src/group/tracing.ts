import type { GroupInfo, GroupInstrumentation } from '../capture/instrumentation.js';

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

export function traceTaskEnd(end: (error: unknown) => void, error: unknown): void {
  try {
    end(error);
  } catch {
    // ignored, see above
  }
}
