// Shared by the collector benchmarks: realistic report bodies with fresh ids, a collector in a child process,
// and autocannon runs against it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

const root = new URL('../../', import.meta.url).pathname;

const SERVICES = ['checkout', 'billing', 'search', 'accounts'];
const FUNCTIONS = ['computeTotal', 'chargeCard', 'loadCart', 'applyCoupon', 'renderInvoice', 'lookupUser', 'reserveStock', 'sendEmail'];

/** One realistic report (about 1.2 KB serialized) with `ID` where its id goes. */
function reportTemplate(i: number): Record<string, unknown> {
  const fn = FUNCTIONS[i % FUNCTIONS.length]!;
  const caller = FUNCTIONS[(i * 3 + 1) % FUNCTIONS.length]!;
  return {
    schema: 1,
    id: 'ID',
    timestamp: 'TS',
    level: i % 10 === 0 ? 'fatal' : 'error',
    message: `Cannot read properties of undefined (reading 'total'), order ${1000 + i}`,
    type: i % 3 === 0 ? 'TypeError' : 'RangeError',
    stack: `TypeError: Cannot read properties of undefined (reading 'total')\n    at ${fn} (/srv/app/src/${fn}.ts:${10 + i}:15)\n    at ${caller} (/srv/app/src/${caller}.ts:42:7)\n    at processTicksAndRejections (node:internal/process/task_queues:95:5)`,
    frames: [
      { file: `/srv/app/src/${fn}.ts`, function: fn, line: 10 + i, column: 15, inApp: true },
      { file: `/srv/app/src/${caller}.ts`, function: caller, line: 42, column: 7, inApp: true },
      { file: 'node:internal/process/task_queues', function: 'processTicksAndRejections', line: 95, column: 5, inApp: false },
    ],
    asyncStack: [{ kind: 'errgroup', group: 'fulfil-order', task: 'charge', frames: [{ file: `/srv/app/src/${caller}.ts`, function: caller, line: 40, column: 9, inApp: true }] }],
    handled: true,
    mechanism: 'errgroup',
    context: { tags: { region: 'eu-west-1', route: '/orders/:id' }, user: { id: `u-${i}` } },
    service: { name: SERVICES[i % SERVICES.length], version: '1.4.2', environment: i % 5 === 0 ? 'staging' : 'production' },
    runtime: { name: 'node', version: '20.20.2', platform: 'linux', arch: 'x64', hostname: 'web-3', pid: 4242 },
    sdk: { name: '@faultline/sdk', version: '0.1.0' },
  };
}

/**
 * Batch bodies of `size` distinct reports: every call returns a body whose ids were never used (32 hex chars:
 * a run prefix, a batch counter and the index in the batch).
 */
export function batchBodies(size: number, runTag: number): () => string {
  const json = JSON.stringify({ reports: Array.from({ length: size }, (_, i) => reportTemplate(i)) });
  const parts = json.split('"ID"');
  let batch = 0;
  const prefix = runTag.toString(16).padStart(8, '0');
  return () => {
    const b = (batch++).toString(16).padStart(16, '0');
    const ts = JSON.stringify(new Date().toISOString());
    let out = parts[0]!;
    for (let i = 1; i < parts.length; i++) out += `"${prefix}${b}${(i - 1).toString(16).padStart(8, '0')}"${parts[i]!}`;
    return out.replaceAll('"TS"', ts);
  };
}

export interface Server {
  url: string;
  child: ChildProcess;
  /** CPU seconds (user + system) the server process has used so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** CPU seconds used by a process, from /proc (Linux): robust to other load on a shared machine. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Starts the built collector (`collector/dist/bin.js`) in its own process. */
export function startServer(args: string[]): Promise<Server> {
  const child = spawn(process.execPath, [`${root}collector/dist/bin.js`, '--port', '0', '--log-level', 'info', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('collector did not start')), 30_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.includes('faultline collector listening')) return;
      clearTimeout(timer);
      const { url } = JSON.parse(line) as { url: string };
      resolve({
        url,
        child,
        cpuSeconds: () => processCpuSeconds(child.pid!),
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

export interface LoadResult {
  requestsPerSec: number;
  /** Requests answered in the run. */
  total?: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** autocannon against `POST /v1/reports`, each request with a fresh body. */
export async function loadIngest(url: string, nextBody: () => string, options: { connections?: number; duration?: number } = {}): Promise<LoadResult> {
  const result = await autocannon({
    url: `${url}/v1/reports`,
    connections: options.connections ?? 8,
    duration: options.duration ?? 8,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: nextBody() }) }],
  });
  return {
    requestsPerSec: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** Sequential GETs; the latency percentiles in ms. */
export async function measureGets(url: string, count: number): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(count * 0.5)]!, p95: times[Math.floor(count * 0.95)]! };
}
