import { afterEach, describe, expect, it } from 'vitest';
import { ErrGroup, WaitGroup } from '@faultline/sdk';
import { setGroupInstrumentation, type GroupInfo, type TaskInfo } from '../../src/capture/instrumentation.js';
import { recordCaptures, tick } from './support.js';

type Call = [string, ...unknown[]];

function fakeInstrumentation(calls: Call[]) {
  let handles = 0;
  return {
    groupStart(info: GroupInfo) {
      const handle = `handle-${++handles}`;
      calls.push(['groupStart', info.kind, info.name, handle]);
      return handle;
    },
    groupEnd(handle: unknown, error: unknown) {
      calls.push(['groupEnd', handle, error instanceof Error ? error.message : error]);
    },
    runTask<T>(info: TaskInfo, run: () => T) {
      calls.push(['runTask', info.kind, info.name, info.task]);
      const result = run();
      return { result, end: (error: unknown) => calls.push(['end', info.task, error instanceof Error ? error.message : error]) };
    },
  };
}

afterEach(() => setGroupInstrumentation(undefined));

describe('group tracing hooks', () => {
  it('calls groupStart/groupEnd for each ErrGroup and wraps each task in runTask, ending it with its failure', async () => {
    const calls: Call[] = [];
    setGroupInstrumentation(fakeInstrumentation(calls));
    const g = new ErrGroup({ name: 'traced', failFast: false });
    void g.go(async () => {
      await tick();
      return 1;
    }, { name: 'ok' });
    void g.go(() => Promise.reject(new Error('bad')), { name: 'bad' });
    await g.wait().catch(() => undefined);
    expect(calls).toEqual([
      ['groupStart', 'errgroup', 'traced', 'handle-1'],
      ['runTask', 'errgroup', 'traced', 'ok'],
      ['runTask', 'errgroup', 'traced', 'bad'],
      ['end', 'bad', 'bad'],
      ['end', 'ok', undefined],
      ['groupEnd', 'handle-1', "1 task of group 'traced' failed"],
    ]);
  });

  it('traces WaitGroup rounds and tasks', async () => {
    const calls: Call[] = [];
    setGroupInstrumentation(fakeInstrumentation(calls));
    const wg = new WaitGroup({ name: 'w' });
    wg.go(() => undefined, { name: 'only' });
    await wg.wait();
    expect(calls).toEqual([
      ['groupStart', 'waitgroup', 'w', 'handle-1'],
      ['runTask', 'waitgroup', 'w', 'only'],
      ['end', 'only', undefined],
      ['groupEnd', 'handle-1', undefined],
    ]);
  });

  it('ends a task that throws synchronously through its end hook, and reports the failure with the task’s trace', async () => {
    const calls: Call[] = [];
    const fake = fakeInstrumentation(calls);
    const trace = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };
    setGroupInstrumentation({ ...fake, runTask: <T>(info: TaskInfo, run: () => T) => ({ ...fake.runTask(info, run), trace }) });
    const { captures, stop } = recordCaptures();
    try {
      const g = new ErrGroup({ name: 'sync' });
      void g.go(
        () => {
          throw new Error('at once');
        },
        { name: 'thrower' },
      );
      const wg = new WaitGroup({ name: 'wsync' });
      wg.go(
        () => {
          throw new Error('at once too');
        },
        { name: 'wthrower' },
      );
      await g.wait().catch(() => undefined);
      await wg.wait();
      expect(calls).toContainEqual(['end', 'thrower', 'at once']);
      expect(calls).toContainEqual(['end', 'wthrower', 'at once too']);
      expect(captures.map((c) => [c.error.message, c.trace])).toEqual([
        ['at once', trace],
        ['at once too', trace],
      ]);
    } finally {
      stop();
    }
  });

  it('keeps working when a hook throws', async () => {
    setGroupInstrumentation({
      groupStart: () => {
        throw new Error('tracer broken');
      },
      groupEnd: () => {
        throw new Error('tracer broken');
      },
      runTask: <T>(_info: TaskInfo, run: () => T) => ({
        result: run(),
        end: () => {
          throw new Error('tracer broken');
        },
      }),
    });
    const g = new ErrGroup();
    void g.go(() => 1);
    await expect(g.wait()).resolves.toBeUndefined();
  });
});
