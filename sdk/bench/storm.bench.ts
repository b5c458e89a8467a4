// An error storm: 10,000 errors per second for 10 seconds, each captured and shipped to a collector stand-in on
// loopback (its own process). Measured in the application process: event-loop delay (monitorEventLoopDelay,
// p99 and max) and RSS growth, against the same load without faultline (the errors are made, not captured).
// Both application runs are plain-node child processes, so tsx's source maps do not tax their stacks.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report } from '../../scripts/bench-report.js';

const RATE = Number(process.env.FAULTLINE_BENCH_STORM_RATE ?? 10_000);
const SECONDS = Number(process.env.FAULTLINE_BENCH_STORM_SECONDS ?? 10);
const P99_TARGET_MS = 20;
const RSS_TARGET_MB = 50;

// Accepts every batch, counts reports and dropped counts; GET /stats reads the totals.
const SERVER = `
import { createServer } from 'node:http';
import { gunzip } from 'node:zlib';
let requests = 0, reports = 0, bytes = 0;
const dropped = {};
const server = createServer((req, res) => {
  if (req.method === 'GET') { res.end(JSON.stringify({ requests, reports, bytes, dropped })); return; }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    bytes += raw.length;
    gunzip(raw, (err, json) => {
      if (err) { res.writeHead(400).end(); return; }
      requests++;
      let n = 0;
      for (let i = json.indexOf('{"schema":1,'); i !== -1; i = json.indexOf('{"schema":1,', i + 1)) n++;
      reports += n;
      const d = /"dropped":(\\{[^}]*\\})\\}$/.exec(json.toString('utf8', Math.max(0, json.length - 512)));
      if (d) for (const [k, v] of Object.entries(JSON.parse(d[1]))) dropped[k] = (dropped[k] ?? 0) + v;
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: n, duplicates: 0, rejected: [] }));
    });
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

// The application: RATE errors per second for SECONDS (after a one-second warm-up), made at a steady rate
// (each tick catches up with the clock), captured with faultline or, for the baseline, only made.
const APP = `
import { monitorEventLoopDelay } from 'node:perf_hooks';
const [mode, endpoint, sdkUrl] = process.argv.slice(2);
const RATE = ${RATE}, SECONDS = ${SECONDS};
const sdk = mode === 'faultline' ? await import(sdkUrl) : undefined;
if (sdk) sdk.init({ endpoint, service: 'storm', release: '1.0.0' });
let sink = 0;
function handleOrder(i) {
  const error = new Error('payment gateway timeout for order ' + i);
  error.code = 'E_GATEWAY';
  if (sdk) sdk.captureException(error, { tags: { shard: String(i % 16) } });
  else sink += error.message.length;
}
function run(seconds) {
  return new Promise((resolve) => {
    const start = performance.now();
    let made = 0;
    const timer = setInterval(() => {
      const elapsed = performance.now() - start;
      const due = Math.min(RATE * seconds, Math.floor((elapsed / 1000) * RATE));
      while (made < due) handleOrder(made++);
      if (elapsed >= seconds * 1000) { clearInterval(timer); resolve(made); }
    }, 5);
  });
}
await run(1);
globalThis.gc?.();
const rss0 = process.memoryUsage.rss();
let rssMax = rss0;
const sampler = setInterval(() => { rssMax = Math.max(rssMax, process.memoryUsage.rss()); }, 100);
const h = monitorEventLoopDelay({ resolution: 5 });
h.enable();
const made = await run(SECONDS);
h.disable();
clearInterval(sampler);
rssMax = Math.max(rssMax, process.memoryUsage.rss());
const flushed = sdk ? await sdk.flush(30000) : true;
process.stdout.write(JSON.stringify({
  made, flushed, sink,
  p99Ms: h.percentile(99) / 1e6, p50Ms: h.percentile(50) / 1e6, maxMs: h.max / 1e6,
  rssGrowthMb: (rssMax - rss0) / 2 ** 20,
}) + '\\n');
process.exit(0);
`;

interface AppResult {
  made: number;
  flushed: boolean;
  p99Ms: number;
  p50Ms: number;
  maxMs: number;
  rssGrowthMb: number;
}

interface ServerStats {
  requests: number;
  reports: number;
  bytes: number;
  dropped: Record<string, number>;
}

function startServer(file: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('error', reject);
    child.stdout.once('data', (d: Buffer) => resolve({ child, port: Number(d.toString().trim()) }));
  });
}

async function stats(port: number): Promise<ServerStats> {
  const res = await fetch(`http://127.0.0.1:${port}/stats`);
  return (await res.json()) as ServerStats;
}

function runApp(file: string, mode: 'baseline' | 'faultline', endpoint: string): AppResult {
  const out = spawnSync(process.execPath, ['--expose-gc', file, mode, endpoint, import.meta.resolve('@faultline/sdk')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = out.stdout.trim().split('\n').at(-1) ?? '';
  if (out.status !== 0) throw new Error(`${mode} run failed (${out.status}): ${out.stdout}`);
  return JSON.parse(line) as AppResult;
}

const dir = mkdtempSync(join(tmpdir(), 'faultline-storm-bench-'));
writeFileSync(join(dir, 'server.mjs'), SERVER);
writeFileSync(join(dir, 'app.mjs'), APP);
const server = await startServer(join(dir, 'server.mjs'));
try {
  const endpoint = `http://127.0.0.1:${server.port}`;
  const baseline = runApp(join(dir, 'app.mjs'), 'baseline', endpoint);
  const ours = runApp(join(dir, 'app.mjs'), 'faultline', endpoint);
  const received = await stats(server.port);
  const delivered = received.reports / (ours.made + RATE); // the warm-up second is captured too
  report({
    title: `Error storm: ${RATE.toLocaleString('en-US')} errors/s for ${SECONDS} s, shipped to a loopback collector`,
    description:
      'Application process (plain node): each error made and passed to `captureException` at a steady rate; the collector ' +
      'stand-in, in its own process, decompresses and counts. Baseline: the same process making the same errors without ' +
      'faultline. Event-loop delay from `monitorEventLoopDelay` (resolution 5 ms); RSS growth is the peak during the storm ' +
      'over the RSS after the warm-up second.',
    rows: [
      { case: 'event-loop delay p99, baseline', value: baseline.p99Ms, unit: 'ms' },
      {
        case: 'event-loop delay p99, faultline',
        value: ours.p99Ms,
        unit: 'ms',
        ratio: ours.p99Ms / baseline.p99Ms,
        baseline: 'no SDK',
        target: `≤ ${P99_TARGET_MS} ms`,
        met: ours.p99Ms <= P99_TARGET_MS,
      },
      { case: 'event-loop delay max, faultline', value: ours.maxMs, unit: 'ms', ratio: ours.maxMs / baseline.maxMs, baseline: 'no SDK' },
      { case: 'RSS growth, baseline', value: baseline.rssGrowthMb, unit: 'MB' },
      {
        case: 'RSS growth, faultline',
        value: ours.rssGrowthMb,
        unit: 'MB',
        target: `≤ ${RSS_TARGET_MB} MB`,
        met: ours.rssGrowthMb <= RSS_TARGET_MB,
      },
      { case: 'errors made during the storm', value: ours.made, unit: '' },
      { case: 'reports delivered (incl. warm-up)', value: received.reports, unit: '', ratio: delivered, baseline: 'errors made' },
      { case: 'batches sent', value: received.requests, unit: '' },
      { case: 'compressed bytes per report', value: received.bytes / Math.max(1, received.reports), unit: 'B' },
    ],
    notes:
      `Final flush ${ours.flushed ? 'acknowledged everything' : 'did not finish'}; dropped counts reported by the SDK: ` +
      `${JSON.stringify(received.dropped)}.`,
  });
} finally {
  server.child.kill();
  rmSync(dir, { recursive: true, force: true });
}
