import { afterEach, describe, expect, it } from 'vitest';
import { TaskDeadlines } from '../../src/group/task-deadlines.js';
import type { GroupTask } from '../../src/group/task.js';

/** A task whose deadline is an unref'd ten-minute timer, as GroupTask.armDeadline makes it. */
function fakeTask(): GroupTask & { x: { timer: NodeJS.Timeout; controller: AbortController } } {
  const task = {
    x: undefined as unknown as { timer: NodeJS.Timeout; controller: AbortController },
    armDeadline(timeout: number) {
      const timer = setTimeout(() => {}, timeout);
      timer.unref();
      task.x = { timer, controller: new AbortController() };
    },
  };
  return task as unknown as GroupTask & typeof task;
}

const timers: NodeJS.Timeout[] = [];
afterEach(() => timers.splice(0).forEach(clearTimeout));

function armed(deadlines: TaskDeadlines): ReturnType<typeof fakeTask> {
  const task = fakeTask();
  deadlines.arm(task, 600_000);
  timers.push(task.x.timer);
  return task;
}

describe('TaskDeadlines', () => {
  it('keeps deadlines from holding the process until hold(), then holds those armed before and after it', () => {
    const deadlines = new TaskDeadlines();
    const before = armed(deadlines);
    expect(before.x.timer.hasRef()).toBe(false);
    deadlines.hold();
    expect(before.x.timer.hasRef()).toBe(true);
    const after = armed(deadlines);
    expect(after.x.timer.hasRef()).toBe(true);
  });

  it('leaves a disarmed task alone: hold() and abortAll() no longer touch it', () => {
    const deadlines = new TaskDeadlines();
    const kept = armed(deadlines);
    const ended = armed(deadlines);
    deadlines.disarm(ended);
    deadlines.hold();
    deadlines.abortAll(new Error('group failed'));
    expect(kept.x.timer.hasRef()).toBe(true);
    expect(kept.x.controller.signal.aborted).toBe(true);
    expect(ended.x.timer.hasRef()).toBe(false);
    expect(ended.x.controller.signal.aborted).toBe(false);
  });

  it("aborts every tracked task's signal with the group's reason", () => {
    const deadlines = new TaskDeadlines();
    const tasks = [armed(deadlines), armed(deadlines)];
    const reason = new Error('first failure');
    deadlines.abortAll(reason);
    expect(tasks.map((t) => t.x.controller.signal.reason)).toEqual([reason, reason]);
  });

  it('tracks nothing after clear()', () => {
    const deadlines = new TaskDeadlines();
    const task = armed(deadlines);
    deadlines.clear();
    deadlines.hold();
    deadlines.abortAll(new Error('late'));
    expect(task.x.timer.hasRef()).toBe(false);
    expect(task.x.controller.signal.aborted).toBe(false);
  });
});
