import type { GroupTask } from './task.js';

// Receives the resolve function of a queued task's start promise without a closure per task.
let lastResolve: ((task: GroupTask) => void) | undefined;
function keepResolve(resolve: (task: GroupTask) => void): void {
  lastResolve = resolve;
}

function startDequeued(task: GroupTask): void {
  task.group.startDequeued(task);
}

/** Tasks waiting behind an ErrGroup's limit, first in first out, linked through the tasks themselves. */
export class TaskQueue {
  size = 0;
  private head: GroupTask | undefined = undefined;
  private tail: GroupTask | undefined = undefined;

  /**
   * Queues the task. The promise (`go()`'s) resolves when the task's turn comes and it starts, or when it is
   * skipped; `shift()` then `task.resolveStart()` settle it.
   */
  enqueue(task: GroupTask): Promise<void> {
    this.push(task);
    const queued = new Promise<GroupTask>(keepResolve);
    task.startResolve = lastResolve;
    // The reaction is registered here, so the task later starts in its spawner's async context (every
    // AsyncLocalStorage, not only ours), not in that of the task whose end freed the slot.
    return queued.then(startDequeued);
  }

  private push(task: GroupTask): void {
    if (this.tail === undefined) this.head = task;
    else this.tail.next = task;
    this.tail = task;
    this.size++;
  }

  shift(): GroupTask | undefined {
    const task = this.head;
    if (task === undefined) return undefined;
    this.head = task.next;
    if (this.head === undefined) this.tail = undefined;
    task.next = undefined;
    this.size--;
    return task;
  }
}
