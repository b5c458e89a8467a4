import { setMaxListeners } from 'node:events';
import { getGroupInstrumentation, type GroupInstrumentation } from '../capture/instrumentation.js';
import { DeadlineExceededError, GroupClosedError, GroupError, GroupLimitError } from '../errors.js';
import type { GroupFacts } from '../report/schema.js';
import { attachSpawnChain } from '../scope/async-stack.js';
import { currentContext } from '../scope/context.js';
import type { ScopeData } from '../scope/scope-data.js';
import type { SpawnLink } from '../scope/spawn-chain.js';
import type { SpawnSite } from '../scope/spawn-site.js';
import { runCompensations } from './compensation.js';
import type { SpawnStacks } from './defaults.js';
import { isCancellation, reportGroupFailure, toError } from './failure.js';
import { runTask } from './run-task.js';
import { booleanOption, functionOption, limitOption, nameOption, objectOption, timeoutOption } from './options.js';
import { DONE, GroupTask, RUNNING, SKIPPED, STARTING, type GoOptions, type TaskContext, type TaskFn } from './task.js';

const RESOLVED: Promise<void> = Promise.resolve();
// Receives the resolve function of a queued task's start promise without a closure per task.
let lastResolve: ((task: GroupTask) => void) | undefined;
function keepResolve(resolve: (task: GroupTask) => void): void {
  lastResolve = resolve;
}

export interface GroupSettings {
  readonly name: string;
  readonly failFast: boolean;
  readonly spawnStacks: SpawnStacks;
  readonly limit: number;
  readonly timeout: number | undefined;
  readonly signal: AbortSignal | undefined;
  readonly site: SpawnSite | undefined;
}

/** The working part of an ErrGroup (the public class is a thin facade, so these members stay internal). */
export class ErrGroupState {
  readonly name: string;
  readonly failFast: boolean;
  readonly taskSites: boolean;
  readonly site: SpawnSite | undefined;
  readonly controller = new AbortController();
  readonly taskContext: TaskContext;
  readonly createdAt = performance.now();
  readonly ins: GroupInstrumentation | undefined = getGroupInstrumentation();
  limit: number;
  /** Tasks holding a slot: running, or dequeued and about to start. */
  active = 0;
  queued = 0;
  started = 0;
  failed = 0;
  canceled = 0;
  private spawned = 0;
  private head: GroupTask | undefined = undefined;
  private tail: GroupTask | undefined = undefined;
  private readonly errorList: Error[] = [];
  private errorSet: Set<Error> | undefined = undefined;
  private failures: Error[] | undefined = undefined;
  private failure: Error | undefined = undefined;
  private outsideReason: unknown = undefined;
  private cancelledFromOutside = false;
  aborted = false;
  private abortReason: unknown = undefined;
  private compensable: GroupTask[] | undefined = undefined;
  private compensationErrors: Error[] | undefined = undefined;
  private waitCalled = false;
  private finishing = false;
  private settled = false;
  private closed = false;
  private rejection: unknown = undefined;
  private waitPromise: Promise<void> | undefined = undefined;
  private waitResolve: (() => void) | undefined = undefined;
  private waitReject: ((reason: unknown) => void) | undefined = undefined;
  private parentSignal: AbortSignal | undefined = undefined;
  private parentListener: (() => void) | undefined = undefined;
  private timer: NodeJS.Timeout | undefined = undefined;
  private timeoutMs = 0;
  private timedTasks: Set<GroupTask> | undefined = undefined;
  private insHandle: unknown = undefined;
  private readonly creatorScope: ScopeData;
  private readonly creatorLink: SpawnLink | undefined;

  constructor(settings: GroupSettings) {
    this.name = settings.name;
    this.failFast = settings.failFast;
    this.taskSites = settings.spawnStacks === 'task';
    this.site = settings.site;
    this.limit = settings.limit;
    this.taskContext = Object.freeze({ signal: this.controller.signal });
    // Nested groups and tasks with deadlines listen here; each removes its listener when done.
    setMaxListeners(0, this.controller.signal);
    const creator = currentContext();
    this.creatorScope = creator.scope;
    this.creatorLink = settings.timeout === undefined ? undefined : creator.link;
    if (this.ins !== undefined) {
      try {
        this.insHandle = this.ins.groupStart({ kind: 'errgroup', name: this.name });
      } catch {
        // Tracing must not break the group.
      }
    }
    const parent = settings.signal ?? creator.signal;
    if (parent !== undefined) {
      if (parent.aborted) {
        this.cancelFromOutside(parent.reason);
      } else {
        this.parentSignal = parent;
        this.parentListener = () => this.cancelFromOutside(parent.reason);
        parent.addEventListener('abort', this.parentListener, { once: true });
      }
    }
    if (settings.timeout !== undefined && !this.aborted) {
      this.timeoutMs = settings.timeout;
      this.timer = setTimeout(onGroupDeadline, settings.timeout, this);
      this.timer.unref();
    }
  }

  get errors(): Error[] {
    return this.errorList.slice();
  }

  spawn(fn: TaskFn, options: GoOptions | undefined, site: SpawnSite | undefined): Promise<void> {
    this.checkSpawn(fn, options, 'go');
    if (this.aborted || this.finishing) {
      this.spawned++;
      this.canceled++;
      return RESOLVED;
    }
    const task = this.newTask(fn, options, site);
    if (this.active < this.limit) {
      this.active++;
      this.start(task);
      return RESOLVED;
    }
    if (this.tail === undefined) this.head = task;
    else this.tail.next = task;
    this.tail = task;
    this.queued++;
    const queued = new Promise<GroupTask>(keepResolve);
    task.startResolve = lastResolve;
    // The reaction is registered here, so the task later starts in the caller's async context (every
    // AsyncLocalStorage, not only ours), not in that of the task whose end freed the slot.
    return queued.then(startDequeued);
  }

  /** Whether `tryGo` would start a task now (checked before paying for its spawn site). */
  canStart(): boolean {
    return !this.aborted && !this.finishing && this.active < this.limit;
  }

  trySpawn(fn: TaskFn, options: GoOptions | undefined, site: SpawnSite | undefined): boolean {
    this.checkSpawn(fn, options, 'tryGo');
    if (!this.canStart()) return false;
    const task = this.newTask(fn, options, site);
    this.active++;
    this.start(task);
    return true;
  }

  setLimit(n: unknown): void {
    const limit = limitOption('ErrGroup.setLimit', n);
    const busy = this.active + this.queued;
    if (busy > 0) throw new GroupLimitError(this.name, busy);
    this.limit = limit;
  }

  wait(): Promise<void> {
    if (this.waitPromise === undefined) {
      this.waitCalled = true;
      this.waitPromise = new Promise<void>((resolve, reject) => {
        this.waitResolve = resolve;
        this.waitReject = reject;
      });
      if (this.settled) this.deliver();
      else if (this.active === 0 && this.head === undefined) this.idle();
    }
    return this.waitPromise;
  }

  dispose(): Promise<void> {
    if (!this.settled) this.abort(new DOMException(`group '${this.name}' was disposed`, 'AbortError'));
    return this.wait().then(noop, noop);
  }

  start(task: GroupTask): void {
    this.started++;
    task.state = RUNNING;
    const timeout = task.options?.timeout;
    if (timeout !== undefined) this.armDeadline(task, timeout);
    runTask(task);
  }

  /** A queued task's turn came, in its spawner's context; it may have been cancelled meanwhile. */
  startDequeued(task: GroupTask): void {
    if (task.state !== STARTING) return;
    if (this.aborted || this.finishing) {
      task.state = SKIPPED;
      task.release();
      this.canceled++;
      this.slotFreed();
      return;
    }
    this.start(task);
  }

  taskFulfilled(task: GroupTask, value: unknown): void {
    if (task.state !== RUNNING) return; // already counted as failed at its deadline
    task.state = DONE;
    if (task.x !== undefined) this.finishExtras(task, undefined);
    if (task.options?.compensate !== undefined) {
      (task.x ??= {}).result = value;
      void task.link; // the compensation's failure, if any, points at this task's spawn site
      (this.compensable ??= []).push(task);
    }
    task.release();
    this.slotFreed();
  }

  taskRejected(task: GroupTask, thrown: unknown): void {
    if (task.state !== RUNNING) return;
    task.state = DONE;
    const error = toError(thrown);
    if (task.x !== undefined) this.finishExtras(task, error);
    if (this.aborted && isCancellation(error, this.abortReason)) this.canceled++;
    else this.taskFailed(task, error);
    task.release();
    this.slotFreed();
  }

  /** The task's deadline passed: it fails now, and its slot is freed whether or not it stops. */
  taskTimedOut(task: GroupTask): void {
    if (task.state !== RUNNING) return;
    task.state = DONE;
    const x = task.x!;
    x.timer = undefined;
    const timeout = task.options?.timeout ?? 0;
    const error = new DeadlineExceededError(`task '${task.name}' of group '${this.name}'`, timeout, performance.now() - (x.startedAt ?? 0));
    x.controller?.abort(error);
    this.finishExtras(task, error);
    this.taskFailed(task, error);
    task.release();
    this.slotFreed();
  }

  groupTimedOut(): void {
    this.timer = undefined;
    if (this.aborted || this.settled) return;
    const error = new DeadlineExceededError(`group '${this.name}'`, this.timeoutMs, performance.now() - this.createdAt);
    const first = this.creatorLink === undefined || attachSpawnChain(error, this.creatorLink);
    this.addError(error);
    if (first) reportGroupFailure(error, 'error', () => this.facts('(group deadline)', false), this.creatorScope);
    this.fail(error);
    this.abort(error);
  }

  compensationFailed(task: GroupTask, error: Error): void {
    const first = attachSpawnChain(error, task.link);
    this.addError(error);
    (this.compensationErrors ??= []).push(error);
    if (first) reportGroupFailure(error, 'error', () => this.facts(task.name, task.options?.optional === true), task.scope);
  }

  /** Calls tracing's `runTask` around the task function. */
  traced(task: GroupTask, ins: GroupInstrumentation): unknown {
    const fn = task.fn as TaskFn;
    const ctx = task.ctx;
    const run = ins.runTask({ kind: 'errgroup', name: this.name, task: task.name }, () => fn(ctx));
    (task.x ??= {}).end = run.end;
    return run.result;
  }

  private checkSpawn(fn: unknown, options: GoOptions | undefined, method: string): void {
    const where = `ErrGroup.${method}`;
    functionOption(where, 'fn', fn);
    if (options !== undefined) {
      objectOption(where, 'options', options);
      nameOption(where, options.name, '');
      timeoutOption(where, options.timeout);
      booleanOption(where, 'optional', options.optional, false);
      if (options.compensate !== undefined) functionOption(where, 'compensate', options.compensate);
    }
    if (this.closed) throw new GroupClosedError(this.name);
  }

  private newTask(fn: TaskFn, options: GoOptions | undefined, site: SpawnSite | undefined): GroupTask {
    const spawner = currentContext();
    return new GroupTask(this, fn, options, spawner.scope, spawner.link, site ?? this.site, ++this.spawned);
  }

  private armDeadline(task: GroupTask, timeout: number): void {
    const controller = new AbortController();
    const timer = setTimeout(onTaskDeadline, timeout, task);
    timer.unref();
    task.x = { ctx: Object.freeze({ signal: controller.signal }), controller, timer, startedAt: performance.now() };
    (this.timedTasks ??= new Set()).add(task);
  }

  /** Stops the task's deadline and ends its trace. */
  private finishExtras(task: GroupTask, error: Error | undefined): void {
    const x = task.x!;
    if (x.timer !== undefined) {
      clearTimeout(x.timer);
      x.timer = undefined;
    }
    if (x.controller !== undefined) this.timedTasks?.delete(task);
    const end = x.end;
    if (end !== undefined) {
      x.end = undefined;
      try {
        end(error);
      } catch {
        // Tracing must not break the group.
      }
    }
  }

  private taskFailed(task: GroupTask, error: Error): void {
    const optional = task.options?.optional === true;
    this.failed++;
    // An error re-thrown by enclosing tasks (an inner group's first error) is reported once, by the innermost.
    const first = attachSpawnChain(error, task.link);
    this.addError(error);
    if (first) reportGroupFailure(error, optional ? 'warning' : 'error', () => this.facts(task.name, optional), task.scope);
    if (!optional) this.fail(error);
  }

  private fail(error: Error): void {
    if (!this.failFast) {
      (this.failures ??= []).push(error);
    } else if (this.failure === undefined) {
      this.failure = error;
      this.abort(error);
    }
  }

  private cancelFromOutside(reason: unknown): void {
    if (this.aborted || this.settled) return;
    this.cancelledFromOutside = true;
    this.outsideReason = reason;
    this.abort(reason);
  }

  private abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.abortReason = reason;
    this.stopWatching();
    for (let task = this.head; task !== undefined; ) {
      const next: GroupTask | undefined = task.next;
      task.next = undefined;
      task.state = SKIPPED;
      task.release();
      this.canceled++;
      const resolve = task.startResolve!;
      task.startResolve = undefined;
      resolve(task);
      task = next;
    }
    this.head = this.tail = undefined;
    this.queued = 0;
    if (this.timedTasks !== undefined) for (const task of this.timedTasks) task.x?.controller?.abort(reason);
    this.controller.abort(reason);
    if (this.active === 0) this.idle();
  }

  private slotFreed(): void {
    this.active--;
    while (this.head !== undefined && this.active < this.limit) {
      const task = this.head;
      this.head = task.next;
      if (this.head === undefined) this.tail = undefined;
      task.next = undefined;
      this.queued--;
      this.active++;
      task.state = STARTING;
      const resolve = task.startResolve!;
      task.startResolve = undefined;
      resolve(task);
    }
    if (this.active === 0 && this.head === undefined) this.idle();
  }

  private idle(): void {
    if (this.finishing || !(this.waitCalled || this.aborted)) return;
    this.finishing = true;
    const undo = this.failure !== undefined || this.failures !== undefined || this.cancelledFromOutside ? this.compensable : undefined;
    this.compensable = undefined;
    if (undo === undefined) this.settle();
    else void runCompensations(this, undo).then(() => this.settle());
  }

  private settle(): void {
    this.settled = true;
    this.stopWatching();
    this.timedTasks = undefined;
    this.rejection = this.outcome();
    // Go cancels the group's context when Wait returns; so does this group when it settles.
    if (!this.controller.signal.aborted) this.controller.abort();
    this.aborted = true;
    if (this.ins !== undefined) {
      try {
        this.ins.groupEnd(this.insHandle, this.rejection);
      } catch {
        // Tracing must not break the group.
      }
    }
    if (this.waitCalled) this.deliver();
  }

  private deliver(): void {
    this.closed = true;
    if (this.rejection === undefined) this.waitResolve!();
    else this.waitReject!(this.rejection);
  }

  private outcome(): unknown {
    if (this.cancelledFromOutside) return this.outsideReason;
    const reason = this.failFast ? this.failure : this.failures && new GroupError(this.name, this.failures);
    if (reason !== undefined && this.compensationErrors !== undefined) {
      try {
        Object.defineProperty(reason, 'compensationErrors', { value: this.compensationErrors, configurable: true });
      } catch {
        // A frozen error: the compensation errors are still on g.errors.
      }
    }
    return reason;
  }

  private stopWatching(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.parentSignal !== undefined) {
      this.parentSignal.removeEventListener('abort', this.parentListener!);
      this.parentSignal = undefined;
      this.parentListener = undefined;
    }
  }

  private addError(error: Error): void {
    if (this.errorSet !== undefined) {
      if (this.errorSet.has(error)) return;
      this.errorSet.add(error);
    } else {
      if (this.errorList.includes(error)) return;
      // Identity checks stay O(1) when a collect-mode group gathers many failures.
      if (this.errorList.length >= 8) this.errorSet = new Set([...this.errorList, error]);
    }
    this.errorList.push(error);
  }

  private facts(task: string, optional: boolean): GroupFacts {
    return {
      kind: 'errgroup',
      name: this.name,
      task,
      failFast: this.failFast,
      optional,
      started: this.started,
      failed: this.failed,
      canceled: this.canceled,
      elapsedMs: Math.max(0, performance.now() - this.createdAt),
    };
  }
}

function noop(): void {}

function startDequeued(task: GroupTask): void {
  task.group.startDequeued(task);
}

function onTaskDeadline(task: GroupTask): void {
  task.group.taskTimedOut(task);
}

function onGroupDeadline(group: ErrGroupState): void {
  group.groupTimedOut();
}
