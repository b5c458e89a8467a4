import { storage } from '../scope/context.js';
import type { SpawnedTask } from './spawned-task.js';

// A task that synchronously spawns a task that synchronously spawns... would recurse without bound; past this
// depth the start is deferred to a microtask.
const MAX_SYNC_DEPTH = 64;
let syncDepth = 0;

/** Runs the task's function with the task as the store, and routes its outcome to `fulfilled`/`rejected`. */
export function runTask(task: SpawnedTask): void {
  if (syncDepth >= MAX_SYNC_DEPTH) {
    // The group may abort before the microtask runs: then the task does not start (as a queued one would not).
    queueMicrotask(() => {
      if (!task.cancelledBeforeStart()) storage.run(task, invoke, task);
    });
    return;
  }
  syncDepth++;
  try {
    storage.run(task, invoke, task);
  } finally {
    syncDepth--;
  }
}

function invoke(task: SpawnedTask): void {
  let result: unknown;
  try {
    result = task.call();
  } catch (thrown) {
    task.rejected(thrown);
    return;
  }
  if (result instanceof Promise && result.constructor === Promise) {
    void result.then(onFulfilled, onRejected);
  } else if (result !== null && (typeof result === 'object' || typeof result === 'function')) {
    // A thenable (or a Promise subclass, whose `then` may differ) is adopted; any other object is the result.
    void Promise.resolve(result).then(onFulfilled, onRejected);
  } else {
    task.fulfilled(result);
  }
}

// Shared handlers, no closure per task: they were attached inside storage.run(task), so that is their store.
function onFulfilled(value: unknown): void {
  (storage.getStore() as SpawnedTask).fulfilled(value);
}

function onRejected(reason: unknown): void {
  (storage.getStore() as SpawnedTask).rejected(reason);
}
