import { describe, expect, it } from 'vitest';
import { isInApp, parseStack } from '../../src/report/stack-frames.js';
import { LIMITS } from '../../src/report/limits.js';

const STACK = `Error: boom
    at leaf (/srv/app/src/leaf.js:2:43)
    at async Promise.all (index 1)
    at async mid (/srv/app/src/mid.js:3:24)
    at Object.<anonymous> (/srv/app/node_modules/lib/index.js:10:5)
    at new Promise (<anonymous>)
    at Array.map (native)
    at processTicksAndRejections (node:internal/process/task_queues:95:5)
    at file:///srv/app/src/main.mjs:7:9
    at async Promise.allSettled (index 0)`;

describe('parseStack', () => {
  it('parses V8 frames innermost first, with file, function, line and column', () => {
    const frames = parseStack(STACK, 'Error: boom');
    expect(frames[0]).toEqual({ file: '/srv/app/src/leaf.js', function: 'leaf', line: 2, column: 43, inApp: true });
    expect(frames.map((f) => f.function)).toEqual([
      'leaf',
      'Promise.all (index 1)',
      'mid',
      'Object.<anonymous>',
      'new Promise',
      'Array.map',
      'processTicksAndRejections',
      '<anonymous>',
      'Promise.allSettled (index 0)',
    ]);
  });

  it('keeps V8 async frames, marked async, including `at async Promise.all (index N)`', () => {
    const frames = parseStack(STACK, 'Error: boom');
    expect(frames[1]).toEqual({ file: '<native>', function: 'Promise.all (index 1)', inApp: false, async: true });
    expect(frames[2]).toMatchObject({ function: 'mid', file: '/srv/app/src/mid.js', async: true, inApp: true });
    expect(frames[8]).toMatchObject({ function: 'Promise.allSettled (index 0)', async: true });
    expect(frames[0]!.async).toBeUndefined();
  });

  it('keeps the async frames of a real await chain through Promise.all', async () => {
    async function leaf(): Promise<never> {
      await Promise.resolve();
      throw new Error('deep');
    }
    async function mid(): Promise<void> {
      await Promise.all([leaf(), Promise.resolve()]);
    }
    const error = await mid().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    const frames = parseStack(error!.stack!, 'Error: deep');
    expect(frames[0]!.function).toBe('leaf');
    const all = frames.findIndex((f) => f.function === 'Promise.all (index 0)');
    expect(frames[all]).toMatchObject({ async: true, inApp: false });
    expect(frames[all + 1]).toMatchObject({ function: 'mid', async: true, inApp: true });
    // The test's own anonymous async function: `at async /path/file.ts:line:col`.
    expect(frames[all + 2]).toMatchObject({ function: '<anonymous>', async: true, inApp: true });
  });

  it('marks node: internals, node_modules and native frames as not in-app', () => {
    const frames = parseStack(STACK, 'Error: boom');
    const inApp = Object.fromEntries(frames.map((f) => [f.function, f.inApp]));
    expect(inApp).toMatchObject({
      leaf: true,
      mid: true,
      'Object.<anonymous>': false,
      'new Promise': false,
      'Array.map': false,
      processTicksAndRejections: false,
      '<anonymous>': true,
    });
    expect(frames[5]!.file).toBe('<native>');
  });

  it.each([
    ['/srv/app/src/a.js', 1, true],
    ['file:///srv/app/src/a.mjs', 1, true],
    ['C:\\app\\src\\a.js', 1, true],
    ['node:internal/timers', 5, false],
    ['internal/process/task_queues.js', 5, false],
    ['/srv/app/node_modules/x/a.js', 1, false],
    ['C:\\app\\node_modules\\x\\a.js', 1, false],
    ['<anonymous>', undefined, false],
    ['/srv/app/src/a.js', undefined, false],
  ] as const)('isInApp(%s, %s) is %s', (file, line, expected) => {
    expect(isInApp(file, line)).toBe(expected);
  });

  it("does not count the SDK's own files (src/ or dist/, as path or file URL) as in-app, but does its tests", () => {
    const sdk = new URL('../../', import.meta.url);
    expect(isInApp(new URL('src/group/err-group-state.ts', sdk).pathname, 10)).toBe(false);
    expect(isInApp(new URL('dist/group/err-group-state.js', sdk).href, 10)).toBe(false);
    expect(isInApp(new URL('test/report/stack-frames.test.ts', sdk).pathname, 10)).toBe(true);
  });

  it('marks a group deadline error as having no in-app frames (it is raised by the SDK timer)', async () => {
    const { ErrGroup } = await import('../../src/index.js');
    const g = new ErrGroup();
    void g.go(() => new Promise(() => {}), { timeout: 1 });
    const err = await g.wait().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.name).toBe('DeadlineExceededError');
    expect(parseStack(err!.stack!).filter((f) => f.inApp)).toEqual([]);
  });

  it('does not read `at ...` lines of the message as frames', () => {
    const message = 'bad input:\n    at fake (/not/a/frame.js:1:1)';
    const stack = `Error: ${message}\n    at real (/srv/app/src/real.js:4:2)`;
    const frames = parseStack(stack, `Error: ${message}`);
    expect(frames.map((f) => f.function)).toEqual(['real']);
  });

  it(`keeps at most ${LIMITS.framesPerStack} frames`, () => {
    const lines = Array.from({ length: 150 }, (_, i) => `    at f${i} (/srv/app/src/f.js:${i + 1}:1)`);
    const frames = parseStack(`Error: deep\n${lines.join('\n')}`, 'Error: deep');
    expect(frames).toHaveLength(LIMITS.framesPerStack);
    expect(frames[0]!.function).toBe('f0');
  });

  it('cuts long file and function names to their limits', () => {
    const longFn = 'f'.repeat(2000);
    const longFile = `/srv/${'d/'.repeat(1000)}a.js`;
    const [frame] = parseStack(`Error: x\n    at ${longFn} (${longFile}:1:1)`, 'Error: x');
    expect(frame!.function.length).toBeLessThanOrEqual(LIMITS.frameFunctionChars);
    expect(frame!.file.length).toBeLessThanOrEqual(LIMITS.frameFileChars);
    expect(frame!.function.endsWith('…[truncated]')).toBe(true);
  });

  it('parses errors made at the same place once (the frames are shared)', () => {
    const make = (m: string) => `Error: ${m}\n    at same (/srv/app/src/same.js:9:9)`;
    const a = parseStack(make('one'), 'Error: one');
    const b = parseStack(make('two'), 'Error: two');
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('returns no frames for a stack without frames', () => {
    expect(parseStack('Error: nothing here', 'Error: nothing here')).toEqual([]);
    expect(parseStack('', '')).toEqual([]);
  });
});
