// The SDK's errors. Each class carries a stable `code`; `ERROR_CODES` lists every code (a test checks that each
// is exported and unique). Add new classes here and their code to `ERROR_CODES`.

/** One frame of a recorded spawn site, innermost first. `line` and `column` are 1-based. */
export interface SiteFrame {
  readonly file: string;
  readonly function: string;
  readonly line?: number;
  readonly column?: number;
}

/** A task a `WaitGroup` was still waiting for when its `wait({ timeout })` gave up. */
export interface PendingTask {
  /** The task's name (`wg.go(fn, { name })`, else the function's name), or `add #n` for a bare `add()`. */
  readonly name: string;
  /** Where `wg.go(...)` or `wg.add(...)` was called, innermost first; empty with `spawnStacks: 'off'`. */
  readonly site: readonly SiteFrame[];
  /** When the task was registered, in ms since the epoch. */
  readonly startedAt: number;
  /** How many `done()` calls this entry still waits for (1 for a `wg.go` task). */
  readonly count: number;
}

/** A deadline passed: a task's or a group's `timeout`. */
export class DeadlineExceededError extends Error {
  static readonly code = 'FAULTLINE_DEADLINE_EXCEEDED';
  readonly code = DeadlineExceededError.code;
  /** The limit that was set, in ms. */
  readonly timeoutMs: number;
  /** How long the task or group had been running when the deadline fired, in ms. */
  readonly elapsedMs: number;

  constructor(what: string, timeoutMs: number, elapsedMs: number) {
    super(`${what} exceeded its deadline of ${timeoutMs} ms (after ${Math.round(elapsedMs)} ms)`);
    this.name = 'DeadlineExceededError';
    this.timeoutMs = timeoutMs;
    this.elapsedMs = elapsedMs;
  }
}

/** Every failure of an `ErrGroup` with `failFast: false`, in order of occurrence. */
export class GroupError extends AggregateError {
  static readonly code = 'FAULTLINE_GROUP_FAILED';
  readonly code = GroupError.code;
  /** The group's name. */
  readonly group: string;

  constructor(group: string, errors: readonly Error[]) {
    super(errors, `${errors.length} ${errors.length === 1 ? 'task' : 'tasks'} of group '${group}' failed`);
    this.name = 'GroupError';
    this.group = group;
  }
}

/** `go()` was called on an `ErrGroup` whose `wait()` has already settled. */
export class GroupClosedError extends Error {
  static readonly code = 'FAULTLINE_GROUP_CLOSED';
  readonly code = GroupClosedError.code;

  constructor(group: string) {
    super(`group '${group}' is closed: go() was called after wait() settled; make a new group`);
    this.name = 'GroupClosedError';
  }
}

/** `setLimit()` was called while tasks of the group were running or queued. */
export class GroupLimitError extends Error {
  static readonly code = 'FAULTLINE_GROUP_LIMIT';
  readonly code = GroupLimitError.code;
  /** Tasks running or queued when the change was refused. */
  readonly active: number;

  constructor(group: string, active: number) {
    super(`group '${group}': setLimit() called while ${active} ${active === 1 ? 'task is' : 'tasks are'} still active`);
    this.name = 'GroupLimitError';
    this.active = active;
  }
}

/** A `WaitGroup` counter would have gone below zero (`done()` once too often, or before `add()`). */
export class NegativeCounterError extends Error {
  static readonly code = 'FAULTLINE_NEGATIVE_COUNTER';
  readonly code = NegativeCounterError.code;
  /** The counter before the refused change (it is left at this value). */
  readonly counter: number;
  readonly delta: number;

  constructor(group: string, counter: number, delta: number) {
    super(`WaitGroup '${group}': counter ${counter} + ${delta} would go below zero`);
    this.name = 'NegativeCounterError';
    this.counter = counter;
    this.delta = delta;
  }
}

/** `WaitGroup.wait({ timeout })` gave up; `pending` says which tasks were still running. */
export class WaitTimeoutError extends Error {
  static readonly code = 'FAULTLINE_WAIT_TIMEOUT';
  readonly code = WaitTimeoutError.code;
  readonly timeoutMs: number;
  /** Each unfinished task: name, spawn site, start time. */
  readonly pending: readonly PendingTask[];

  constructor(group: string, timeoutMs: number, pending: readonly PendingTask[]) {
    super(`WaitGroup '${group}' still waiting after ${timeoutMs} ms for ${describePending(pending)}`);
    this.name = 'WaitTimeoutError';
    this.timeoutMs = timeoutMs;
    this.pending = pending;
  }
}

/** Wraps a thrown value that is not an `Error` (a string, an object, `undefined`); `value` keeps it. */
export class NonErrorThrownError extends Error {
  static readonly code = 'FAULTLINE_NON_ERROR_THROWN';
  readonly code = NonErrorThrownError.code;
  /** What was thrown. */
  readonly value: unknown;

  constructor(value: unknown) {
    super(`non-error value thrown: ${describeValue(value)}`);
    this.name = 'NonErrorThrownError';
    this.value = value;
  }
}

/** Every error code of the SDK. */
export const ERROR_CODES: readonly string[] = [
  DeadlineExceededError.code,
  GroupError.code,
  GroupClosedError.code,
  GroupLimitError.code,
  NegativeCounterError.code,
  WaitTimeoutError.code,
  NonErrorThrownError.code,
];

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
  if (value === null || typeof value !== 'object') return String(value);
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json.length > 200 ? `${json.slice(0, 200)}…` : json;
  } catch {
    // Cyclic or throwing toJSON: fall back to the tag.
  }
  return Object.prototype.toString.call(value);
}

function describePending(pending: readonly PendingTask[]): string {
  if (pending.length === 0) return 'no task (the counter was raised without add() or go())';
  const now = Date.now();
  const shown = pending.slice(0, 5).map((p) => {
    const at = p.site[0];
    const where = at === undefined ? '' : ` at ${at.file}:${at.line ?? 0}:${at.column ?? 0}`;
    return `${p.name} (running ${now - p.startedAt} ms${where})`;
  });
  const more = pending.length > 5 ? `, and ${pending.length - 5} more` : '';
  return `${pending.length} ${pending.length === 1 ? 'task' : 'tasks'}: ${shown.join(', ')}${more}`;
}
