import { setMaxListeners } from 'node:events';
import { getGroupInstrumentation, type GroupInstrumentation } from '../capture/instrumentation.js';
import { DeadlineExceededError } from '../errors.js';
import { attachSpawnChain } from '../scope/async-stack.js';
import { currentContext } from '../scope/context.js';
import type { Trace } from '../report/schema.js';
import type { ScopeData } from '../scope/scope-data.js';
import type { SpawnLink } from '../scope/spawn-chain.js';
import type { SpawnSite } from '../scope/spawn-site.js';
import { runCompensations } from './compensation.js';
import type { SpawnStacks } from './defaults.js';
import { errGroupFacts, isCancellation, reportGroupFailure, toError } from './failure.js';
import { GroupOutcome } from './group-outcome.js';
import { GroupWatch } from './group-watch.js';
import { DONE, GroupTask, RUNNING, type GoOptions, type TaskContext, type TaskFn } from './task.js';
import { taskDeadlineError } from './task-deadlines.js';
import { TaskScheduler } from './task-scheduler.js';
import { traceGroupEnd, traceGroupStart } from './tracing.js';

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
export class ErrGroupState extends TaskScheduler {
  readonly name: string;
  readonly failFast: boolean;
  readonly taskSites: boolean;
  /** With spawnStacks 'group': where the group was made. */
  private site: SpawnSite | undefined;
  readonly controller = new AbortController();
  readonly taskContext: TaskContext;
  readonly createdAt = performance.now();
  readonly ins: GroupInstrumentation | undefined = getGroupInstrumentation();
  failed = 0;
  private readonly outcome: GroupOutcome;
  private abortReason: unknown = undefined;
  private compensable: GroupTask[] | undefined = undefined;
  private waitCalled = false;
  /** The group's deadline passed while no task ran or waited. */
  private deadlinePassed = false;
  private settled = false;
  private rejection: unknown = undefined;
  private waitPromise: Promise<void> | undefined = undefined;
  private waitResolve: (() => void) | undefined = undefined;
  private waitReject: ((reason: unknown) => void) | undefined = undefined;
  private watch: GroupWatch | undefined = undefined;
  private readonly timeoutMs: number;
  private insHandle: unknown = undefined;
  private readonly creatorScope: ScopeData;
  private readonly creatorLink: SpawnLink | undefined;

  constructor(settings: GroupSettings) {
    super(settings.limit);
    this.name = settings.name;
    this.failFast = settings.failFast;
    this.taskSites = settings.spawnStacks === 'task';
    this.site = settings.site;
    this.outcome = new GroupOutcome(this.name, this.failFast);
    this.taskContext = Object.freeze({ signal: this.controller.signal });
    // Nested groups and tasks with deadlines listen here; each removes its listener when done.
    setMaxListeners(0, this.controller.signal);
    const creator = currentContext();
    this.creatorScope = creator.scope;
    this.creatorLink = settings.timeout === undefined ? undefined : creator.link;
    if (this.ins !== undefined) this.insHandle = traceGroupStart(this.ins, { kind: 'errgroup', name: this.name });
    this.timeoutMs = settings.timeout ?? 0;
    const parent = settings.signal ?? creator.signal;
    if (parent?.aborted) {
      this.cancelFromOutside(parent.reason);
    } else if (parent !== undefined || settings.timeout !== undefined) {
      this.watch = new GroupWatch(
        parent,
        settings.timeout,
        (reason) => this.cancelFromOutside(reason),
        () => this.groupTimedOut(),
      );
    }
  }

  get errors(): Error[] {
    return this.outcome.errors.toArray();
  }

  wait(): Promise<void> {
    if (this.waitPromise === undefined) {
      this.waitCalled = true;
      this.waitPromise = new Promise<void>((resolve, reject) => {
        this.waitResolve = resolve;
        this.waitReject = reject;
      });
      if (this.settled) this.deliver();
      else if (this.active === 0 && this.queue.size === 0) this.idle();
      else this.holdDeadlines();
    }
    return this.waitPromise;
  }

  /**
   * `wait()` is awaited: the group's and its tasks' deadlines now keep the process alive, so that a task stuck on
   * a promise that never settles ends as a DeadlineExceededError instead of the process exiting mid-await.
   */
  private holdDeadlines(): void {
    this.watch?.hold();
    this.deadlines.hold();
  }

  dispose(): Promise<void> {
    if (!this.settled) this.abort(new DOMException(`group '${this.name}' was disposed`, 'AbortError'));
    return this.wait().then(noop, noop);
  }

  taskFulfilled(task: GroupTask, value: unknown): void {
    if (task.state !== RUNNING) return; // already counted as failed at its deadline
    task.state = DONE;
    if (task.x !== undefined) this.endExtras(task, undefined);
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
    if (task.x !== undefined) this.endExtras(task, error);
    if (this.aborted && isCancellation(thrown, this.abortReason)) this.canceled++;
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
    const error = taskDeadlineError(task);
    x.controller?.abort(error);
    this.endExtras(task, error);
    this.taskFailed(task, error);
    task.release();
    this.slotFreed();
  }

  groupTimedOut(): void {
    if (this.aborted || this.settled) return;
    // As in Go, a deadline with nothing left to stop fails nothing; a task spawned later meets it at once.
    if (this.active === 0 && this.queue.size === 0) {
      this.deadlinePassed = true;
      return;
    }
    this.deadlineExceeded();
  }

  /** Called before a task is placed: past an idle deadline, the group fails now and the task never starts. */
  protected beforeSpawn(): void {
    if (this.deadlinePassed && !this.aborted && !this.finishing) this.deadlineExceeded();
  }

  private deadlineExceeded(): void {
    const error = new DeadlineExceededError(`group '${this.name}'`, this.timeoutMs, performance.now() - this.createdAt);
    this.record(error, this.creatorLink, this.creatorScope, '(group deadline)', false);
    this.fail(error);
    this.abort(error);
  }

  compensationFailed(task: GroupTask, error: Error): void {
    this.record(error, task.link, task.scope, task.name, false);
    this.outcome.compensationFailed(error);
  }

  protected newTask(fn: TaskFn, options: GoOptions | undefined, site: SpawnSite | undefined): GroupTask {
    const spawner = currentContext();
    return new GroupTask(this, fn, options, spawner.scope, spawner.link, site ?? this.site, ++this.spawned);
  }

  /** Stops the task's deadline and ends its trace. */
  private endExtras(task: GroupTask, error: Error | undefined): void {
    if (task.x!.controller !== undefined) this.deadlines.disarm(task);
    task.endExtras(error);
  }

  private taskFailed(task: GroupTask, error: Error): void {
    const optional = task.options?.optional === true;
    this.failed++;
    this.record(error, task.link, task.scope, task.name, optional, task.x?.trace);
    if (!optional) this.fail(error);
  }

  /**
   * Keeps a failure on g.errors and reports it with its spawn chain. An error re-thrown by enclosing tasks (an
   * inner group's first error) keeps the innermost chain and is reported once, by the innermost group.
   */
  private record(error: Error, link: SpawnLink | undefined, scope: ScopeData, task: string, optional: boolean, trace?: Trace): void {
    const first = link === undefined || attachSpawnChain(error, link);
    this.outcome.errors.add(error);
    if (first) reportGroupFailure(error, optional ? 'warning' : 'error', () => errGroupFacts(this, task, optional), scope, trace);
  }

  private fail(error: Error): void {
    if (this.outcome.fail(error) && this.failFast) this.abort(error);
  }

  private cancelFromOutside(reason: unknown): void {
    if (this.aborted || this.settled) return;
    this.outcome.cancel(reason);
    this.abort(reason);
  }

  private abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.abortReason = reason;
    this.stopWatching();
    this.skipQueued();
    this.deadlines.abortAll(reason);
    this.controller.abort(reason);
    if (this.active === 0) this.idle();
  }

  protected idle(): void {
    if (this.finishing || !(this.waitCalled || this.aborted)) return;
    this.finishing = true;
    const undo = this.outcome.failed ? this.compensable : undefined;
    this.compensable = undefined;
    if (undo === undefined) this.settle();
    else void runCompensations(this, undo).then(() => this.settle());
  }

  private settle(): void {
    this.settled = true;
    this.stopWatching();
    this.deadlines.clear();
    // Chains that need the group's site formatted it already (see SpawnedTask.release); it must not pin more.
    this.site = undefined;
    this.rejection = this.outcome.rejection();
    // Go cancels the group's context when Wait returns; so does this group when it settles.
    if (!this.controller.signal.aborted) this.controller.abort();
    this.aborted = true;
    if (this.ins !== undefined) traceGroupEnd(this.ins, this.insHandle, this.rejection);
    if (this.waitCalled) this.deliver();
  }

  private deliver(): void {
    this.closed = true;
    if (this.rejection === undefined) this.waitResolve!();
    else this.waitReject!(this.rejection);
  }

  private stopWatching(): void {
    this.watch?.stop();
    this.watch = undefined;
  }
}

function noop(): void {}
