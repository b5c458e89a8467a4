// ErrGroup's cost per task against bare Promise.all (measured in a child process where no AsyncLocalStorage
// was ever enabled) and against p-limit, over 100,000 trivial tasks; and the memory of feeding 1,000,000 tasks
// through a limit-16 group with `await g.go(...)` as backpressure.
import { spawnSync } from 'node:child_process';
import { ErrGroup, type SpawnStacks } from '@faultline/sdk';
import pLimit from 'p-limit';
import { median, report } from '../../scripts/bench-report.js';

const TASKS = Number(process.env.FAULTLINE_BENCH_TASKS ?? 100_000);
const FEED = Number(process.env.FAULTLINE_BENCH_FEED ?? 1_000_000);
const ROUNDS = 11;
const WARMUP = 3;

const task = async (): Promise<void> => {
  await null; // eslint-disable-line @typescript-eslint/await-thenable -- the trivial task the targets are stated for
};

// The same loop as `bare` below, in a process that never enabled an AsyncLocalStorage (on Node 20 an enabled
// one taxes every promise of the process).
const BARE = `
const N = ${TASKS}, ROUNDS = ${ROUNDS}, WARMUP = ${WARMUP};
const task = async () => { await null; };
async function once() { const ps = new Array(N); for (let i = 0; i < N; i++) ps[i] = task(); await Promise.all(ps); }
const out = [];
for (let r = 0; r < WARMUP + ROUNDS; r++) {
  globalThis.gc?.();
  const t0 = performance.now(); await once(); const ms = performance.now() - t0;
  if (r >= WARMUP) out.push(ms);
}
out.sort((a, b) => a - b);
process.stdout.write(String(out[out.length >> 1]));
`;

function bareInChild(): number {
  const child = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', BARE], { encoding: 'utf8' });
  const ms = Number(child.stdout);
  if (child.status !== 0 || !Number.isFinite(ms)) throw new Error(`baseline child failed: ${child.stderr}`);
  return ms;
}

async function bareHere(): Promise<void> {
  const ps = new Array<Promise<void>>(TASKS);
  for (let i = 0; i < TASKS; i++) ps[i] = task();
  await Promise.all(ps);
}

function group(spawnStacks: SpawnStacks, limit?: number): () => Promise<void> {
  return async () => {
    const g = new ErrGroup({ spawnStacks, ...(limit === undefined ? {} : { limit }) });
    for (let i = 0; i < TASKS; i++) void g.go(task);
    await g.wait();
  };
}

async function pLimit16(): Promise<void> {
  const limit = pLimit(16);
  const ps = new Array<Promise<void>>(TASKS);
  for (let i = 0; i < TASKS; i++) ps[i] = limit(task);
  await Promise.all(ps);
}

/** Runs the cases in turn, round after round (so drift and noise hit all alike); median ms per case. */
async function interleaved(cases: Record<string, () => Promise<void>>): Promise<Record<string, number>> {
  const times: Record<string, number[]> = {};
  for (const name of Object.keys(cases)) times[name] = [];
  for (let r = 0; r < WARMUP + ROUNDS; r++) {
    for (const [name, run] of Object.entries(cases)) {
      globalThis.gc?.();
      const t0 = performance.now();
      await run();
      const ms = performance.now() - t0;
      if (r >= WARMUP) times[name]!.push(ms);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, ms]) => [name, median(ms)]));
}

// In its own process, so the RSS before the run is not inflated by the other cases.
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
  const child = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', FEED_CHILD], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`feed child failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { growthMb: number; elapsedMs: number };
}

const perTask = (ms: number): number => (ms * 1e6) / TASKS;

const bareChild = bareInChild();
const t = await interleaved({
  'task, no limit': group('task'),
  'off, no limit': group('off'),
  'group, no limit': group('group'),
  'task, limit 16': group('task', 16),
  'off, limit 16': group('off', 16),
  'group, limit 16': group('group', 16),
  'p-limit(16)': pLimit16,
  'Promise.all, ALS on': bareHere,
});
const feed = feedPeakRss();

const row = (name: string, baseline: string, baselineMs: number, target?: number) => {
  const ratio = t[name]! / baselineMs;
  return {
    case: `ErrGroup spawnStacks '${name}'`.replace("ErrGroup spawnStacks 'p-limit(16)'", 'p-limit(16)').replace("ErrGroup spawnStacks 'Promise.all, ALS on'", 'Promise.all, AsyncLocalStorage enabled'),
    value: perTask(t[name]!),
    unit: 'ns/task',
    ratio,
    baseline,
    ...(target === undefined ? {} : { target: `≤ ${target}x`, met: ratio <= target }),
  };
};

report({
  title: `ErrGroup vs Promise.all, ${TASKS.toLocaleString('en-US')} tasks of \`async () => { await null }\``,
  description: `Bare Promise.all: ${perTask(bareChild).toFixed(0)} ns/task, in a child process without AsyncLocalStorage.`,
  rows: [
    row('task, no limit', 'bare Promise.all', bareChild, 4),
    row('off, no limit', 'bare Promise.all', bareChild, 2.5),
    row('group, no limit', 'bare Promise.all', bareChild),
    row('Promise.all, ALS on', 'bare Promise.all', bareChild),
  ],
});

report({
  title: `ErrGroup with limit 16 vs p-limit(16), ${TASKS.toLocaleString('en-US')} tasks`,
  description: `p-limit(16): ${perTask(t['p-limit(16)']!).toFixed(0)} ns/task, same process (AsyncLocalStorage enabled for both).`,
  rows: [
    row('task, limit 16', 'p-limit(16)', t['p-limit(16)']!, 0.5),
    row('group, limit 16', 'p-limit(16)', t['p-limit(16)']!),
    row('off, limit 16', 'p-limit(16)', t['p-limit(16)']!),
  ],
});

report({
  title: `${FEED.toLocaleString('en-US')} tasks through a limit-16 ErrGroup with \`await g.go(...)\``,
  rows: [
    {
      case: 'peak RSS growth',
      value: feed.growthMb,
      unit: 'MB',
      target: '< 64 MB',
      met: feed.growthMb < 64,
    },
    { case: 'time per task', value: (feed.elapsedMs * 1e6) / FEED, unit: 'ns/task' },
  ],
});
