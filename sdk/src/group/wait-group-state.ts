import { getGroupInstrumentation, type GroupInstrumentation } from '../capture/instrumentation.js';
import { NegativeCounterError, WaitTimeoutError, type PendingTask } from '../errors.js';
import type { GroupFacts } from '../report/schema.js';
import { attachSpawnChain } from '../scope/async-stack.js';
import { currentContext } from '../scope/context.js';
import { captureSite, siteFrames, type SpawnSite } from '../scope/spawn-site.js';
import type { SpawnStacks } from './defaults.js';
import { reportGroupFailure, toError } from './failure.js';
import { functionOption, nameOption, objectOption, shown, signalOption, timeoutOption } from './options.js';
import { runTask } from './run-task.js';
import { traceGroupEnd, traceGroupStart, traceTask, traceTaskEnd } from './tracing.js';
import { WaitGroupTask } from './wait-group-task.js';

/** A positive `add()`, kept until as many `done()` calls consumed it, to name it if `wait` times out. */
interface AddEntry {
  readonly name: string;
  count: number;
  site: SpawnSite | undefined;
  readonly startedAt: number;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  timer: NodeJS.Timeout | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

const RESOLVED: Promise<void> = Promise.resolve();

/** The working part of a WaitGroup (the public class is a thin facade, so these members stay internal). */
export class WaitGroupState {
  readonly taskSites: boolean;
  readonly ins: GroupInstrumentation | undefined = getGroupInstrumentation();
  readonly createdAt = performance.now();
  counter = 0;
  private readonly adds: (AddEntry | undefined)[] = [];
  private addHead = 0;
  private addCount = 0;
  private readonly tasks = new Set<WaitGroupTask>();
  private waiters: Waiter[] = [];
  private readonly errorList: Error[] = [];
  private readonly errorSet = new Set<Error>();
  private started = 0;
  private failed = 0;
  private insHandle: unknown = undefined;

  constructor(
    readonly name: string,
    spawnStacks: SpawnStacks,
    readonly site: SpawnSite | undefined,
  ) {
    this.taskSites = spawnStacks === 'task';
  }

  get errors(): Error[] {
    return this.errorList.slice();
  }

  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- the public method, to skip its frames
  add(delta: unknown, above: Function): void {
    if (typeof delta !== 'number' || !Number.isSafeInteger(delta)) {
      throw new TypeError(`WaitGroup.add: \`delta\` must be an integer, got ${shown(delta)}`);
    }
    if (this.counter + delta < 0) throw new NegativeCounterError(this.name, this.counter, delta);
    if (delta > 0) {
      const n = ++this.addCount;
      const site = this.taskSites ? captureSite(above) : this.site;
      this.adds.push({ name: delta === 1 ? `add #${n}` : `add #${n} (${delta})`, count: delta, site, startedAt: Date.now() });
    } else if (delta < 0) {
      this.consumeAdds(-delta);
    }
    this.change(delta);
  }

  go(fn: unknown, options: { readonly name?: string } | undefined, site: SpawnSite | undefined): void {
    functionOption('WaitGroup.go', 'fn', fn);
    objectOption('WaitGroup.go', 'options', options);
    const name = nameOption('WaitGroup.go', options?.name, '');
    const spawner = currentContext();
    const task = new WaitGroupTask(
      this,
      fn as () => unknown,
      name || undefined,
      spawner.scope,
      spawner.signal,
      spawner.link,
      site ?? this.site,
      ++this.started,
    );
    this.tasks.add(task);
    this.change(1);
    runTask(task);
  }

  wait(options: { readonly timeout?: number; readonly signal?: AbortSignal } | undefined): Promise<void> {
    objectOption('WaitGroup.wait', 'options', options);
    const timeout = timeoutOption('WaitGroup.wait', options?.timeout);
    const signal = signalOption('WaitGroup.wait', options?.signal);
    if (this.counter === 0) return RESOLVED;
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, timer: undefined, signal: undefined, onAbort: undefined };
      if (timeout !== undefined) {
        // Ref'd: the caller awaits this answer; a forgotten done() must end as a WaitTimeoutError, not a silent exit.
        waiter.timer = setTimeout(() => this.giveUp(waiter, new WaitTimeoutError(this.name, timeout, this.pending())), timeout);
      }
      if (signal !== undefined) {
        waiter.signal = signal;
        waiter.onAbort = () => this.giveUp(waiter, signal.reason);
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
    });
  }

  taskSettled(task: WaitGroupTask, failed: boolean, thrown: unknown): void {
    if (!this.tasks.delete(task)) return;
    const error = failed ? toError(thrown) : undefined;
    if (task.end !== undefined) {
      traceTaskEnd(task.end, error);
      task.end = undefined;
    }
    if (error !== undefined) this.taskFailed(task, error);
    task.release();
    if (this.counter > 0) {
      this.change(-1);
    } else {
      // Someone called done() for this task too: report it here rather than throw where nobody catches it.
      const misuse = new NegativeCounterError(this.name, 0, -1);
      attachSpawnChain(misuse, task.link);
      reportGroupFailure(misuse, 'error', () => this.facts(task.name), task.scope);
    }
  }

  traced(task: WaitGroupTask, ins: GroupInstrumentation): unknown {
    return traceTask(ins, { kind: 'waitgroup', name: this.name, task: task.name }, task.fn as () => unknown, (run) => {
      task.end = run.end;
      task.trace = run.trace;
    });
  }

  /** Every unfinished task, oldest first. */
  pending(): PendingTask[] {
    const out: PendingTask[] = [];
    for (let i = this.addHead; i < this.adds.length; i++) {
      const entry = this.adds[i];
      if (entry !== undefined && entry.count > 0) {
        out.push({ name: entry.name, site: siteFrames(entry.site), startedAt: entry.startedAt, count: entry.count });
      }
    }
    for (const task of this.tasks) {
      out.push({ name: task.name, site: siteFrames(task.site), startedAt: task.startedAt, count: 1 });
    }
    return out.sort((a, b) => a.startedAt - b.startedAt);
  }

  private taskFailed(task: WaitGroupTask, error: Error): void {
    this.failed++;
    const first = attachSpawnChain(error, task.link);
    if (!this.errorSet.has(error)) {
      this.errorSet.add(error);
      this.errorList.push(error);
    }
    if (first) reportGroupFailure(error, 'error', () => this.facts(task.name), task.scope, task.trace);
  }

  // done() does not say which add() it answers; the oldest one still open is the best guess.
  private consumeAdds(n: number): void {
    while (n > 0 && this.addHead < this.adds.length) {
      const entry = this.adds[this.addHead]!;
      const take = Math.min(n, entry.count);
      entry.count -= take;
      n -= take;
      if (entry.count === 0) {
        entry.site = undefined;
        this.adds[this.addHead++] = undefined;
      }
    }
    if (this.addHead === this.adds.length || this.addHead > 1024) {
      this.adds.splice(0, this.addHead);
      this.addHead = 0;
    }
  }

  private change(delta: number): void {
    const before = this.counter;
    this.counter += delta;
    if (this.ins !== undefined && before === 0 && this.counter > 0) {
      this.insHandle = traceGroupStart(this.ins, { kind: 'waitgroup', name: this.name });
    }
    if (this.counter === 0 && before > 0) this.zero();
  }

  private zero(): void {
    if (this.ins !== undefined) traceGroupEnd(this.ins, this.insHandle, undefined);
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) {
      this.forget(waiter);
      waiter.resolve();
    }
  }

  private giveUp(waiter: Waiter, reason: unknown): void {
    const i = this.waiters.indexOf(waiter);
    if (i < 0) return;
    this.waiters.splice(i, 1);
    this.forget(waiter);
    waiter.reject(reason);
  }

  private forget(waiter: Waiter): void {
    if (waiter.timer !== undefined) clearTimeout(waiter.timer);
    if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    waiter.timer = undefined;
    waiter.onAbort = undefined;
    waiter.signal = undefined;
  }

  private facts(task: string): GroupFacts {
    return {
      kind: 'waitgroup',
      name: this.name,
      task,
      failFast: false,
      optional: false,
      started: this.started,
      failed: this.failed,
      canceled: 0,
      elapsedMs: Math.max(0, performance.now() - this.createdAt),
    };
  }
}
