import type { GroupTask } from './task.js';

/** Tasks waiting behind an ErrGroup's limit, first in first out, linked through the tasks themselves. */
export class TaskQueue {
  size = 0;
  private head: GroupTask | undefined = undefined;
  private tail: GroupTask | undefined = undefined;

  push(task: GroupTask): void {
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
