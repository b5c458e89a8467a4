import { DeadlineExceededError } from '../errors.js';
import type { GroupTask } from './task.js';

/**
 * The running tasks of an ErrGroup that have a deadline (`go(fn, { timeout })`). Their timers do not keep the
 * process alive until `hold()`: once the group's `wait()` is awaited, a task stuck on a promise that never
 * settles must end as a DeadlineExceededError rather than the process exiting mid-await.
 */
export class TaskDeadlines {
  #tasks: Set<GroupTask> | undefined = undefined;
  #held = false;

  /** Starts the task's deadline; at it, the task's group times the task out. */
  arm(task: GroupTask, timeout: number): void {
    task.armDeadline(timeout, onTaskDeadline);
    (this.#tasks ??= new Set()).add(task);
    if (this.#held) task.x!.timer!.ref();
  }

  /** The task ended (or timed out): its deadline is no longer tracked. */
  disarm(task: GroupTask): void {
    this.#tasks?.delete(task);
  }

  /** From now on every deadline, armed or to come, keeps the process alive until it fires or is disarmed. */
  hold(): void {
    this.#held = true;
    if (this.#tasks !== undefined) for (const task of this.#tasks) task.x?.timer?.ref();
  }

  /** The group aborted: every task with a deadline sees it on its own signal. */
  abortAll(reason: unknown): void {
    if (this.#tasks !== undefined) for (const task of this.#tasks) task.x?.controller?.abort(reason);
  }

  /** The group settled: nothing is tracked any more. */
  clear(): void {
    this.#tasks = undefined;
  }
}

/** The error of a task whose deadline passed: names the task, its group, the deadline and the time it ran. */
export function taskDeadlineError(task: GroupTask): DeadlineExceededError {
  const timeout = task.options?.timeout ?? 0;
  const elapsed = performance.now() - (task.x?.startedAt ?? 0);
  return new DeadlineExceededError(`task '${task.name}' of group '${task.groupName}'`, timeout, elapsed);
}

function onTaskDeadline(task: GroupTask): void {
  task.group.taskTimedOut(task);
}
