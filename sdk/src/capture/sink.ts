import type { GroupFacts, Level, Mechanism, Trace } from '../report/schema.js';
import type { ScopeData } from '../scope/scope-data.js';

/** A failure the groups (or process handlers, or the logger integration) hand to the client for reporting. */
export interface FailureCapture {
  readonly error: Error;
  readonly level: Level;
  readonly handled: boolean;
  readonly mechanism: Mechanism;
  /** Facts about the group whose task failed. */
  readonly group?: GroupFacts;
  /** The scope in effect where the failure happened (the failing task's scope); default: the current scope. */
  readonly scope?: ScopeData;
  /** The span the failure happened in (a traced task's); default: the span active where it is captured. */
  readonly trace?: Trace;
}

/** Receives failures; installed by `init()`. Must not throw (callers guard anyway). */
export type CaptureSink = (capture: FailureCapture) => void;

// One sink per process, shared by every loaded copy of the SDK, like the AsyncLocalStorage.
const KEY = Symbol.for('faultline.captureSink');
type Holder = { [KEY]?: CaptureSink };

export function setCaptureSink(sink: CaptureSink | undefined): void {
  (globalThis as Holder)[KEY] = sink;
}

export function hasCaptureSink(): boolean {
  return (globalThis as Holder)[KEY] !== undefined;
}

/** Hands a failure to the client if one is initialised. Never throws into the caller. */
export function captureFailure(capture: FailureCapture): void {
  const sink = (globalThis as Holder)[KEY];
  if (sink === undefined) return;
  try {
    sink(capture);
  } catch {
    // The sink guards itself; a fault here must still not reach application code.
  }
}
