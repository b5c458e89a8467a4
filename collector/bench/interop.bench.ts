// Sentry envelopes from the real @sentry/node client, replayed with autocannon (fresh event_id per request),
// against native single-report `/v1/reports` batches, both on the same collector (child process, SQLite) in one run.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { report } from '../../scripts/bench-report.js';
import { batchBodies, loadIngest, startServer, type LoadResult } from './bench-support.js';

const DURATION = Number(process.env.FAULTLINE_BENCH_DURATION ?? 8);
const ROUNDS = 2;
const SENTRY_CLIENT = new URL('../test/interop/sentry/fixtures/sentry-client.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'faultline-interop-bench-'));

interface Captured {
  path: string;
  headers: Record<string, string>;
  body: string;
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Runs the real Sentry client once against a recording server and returns its event envelope as sent. */
async function captureSentryEnvelope(): Promise<Captured> {
  const seen: Captured[] = [];
  const server = createServer((req, res) => {
    void readAll(req).then((raw) => {
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'content-length', 'connection', 'transfer-encoding'].includes(k)) headers[k] = v;
      seen.push({ path: req.url ?? '/', headers, body: body.toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    await promisify(execFile)(process.execPath, [SENTRY_CLIENT, `http://0123456789abcdef0123456789abcdef@127.0.0.1:${port}/42`, 'replay'], { timeout: 30_000 });
  } finally {
    server.close();
  }
  const event = seen.find((c) => c.body.split('\n').some((line) => line.startsWith('{"type":"event"')));
  if (event === undefined) throw new Error('the Sentry client sent no event envelope');
  return event;
}

/** Envelope bodies with a fresh event id each (in the envelope header and in the event). */
function envelopeBodies(captured: Captured): () => string {
  const id = /"event_id":"([0-9a-f]{32})"/.exec(captured.body)?.[1];
  if (id === undefined) throw new Error('no event_id in the captured envelope');
  const parts = captured.body.split(id);
  let n = 0;
  return () => {
    const fresh = `e${(n++).toString(16).padStart(31, '0')}`;
    return parts.join(fresh);
  };
}

async function loadSentry(url: string, captured: Captured, nextBody: () => string, duration: number): Promise<LoadResult> {
  const result = await autocannon({
    url: `${url}${captured.path}`,
    connections: 8,
    duration,
    method: 'POST',
    headers: captured.headers,
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: nextBody() }) }],
  });
  return { requestsPerSec: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

async function main(): Promise<void> {
  const captured = await captureSentryEnvelope();
  const sentry = envelopeBodies(captured);
  const native = batchBodies(1, 77);
  const server = await startServer(['--sqlite-path', join(dir, 'interop.db')]);
  const nativeRuns: LoadResult[] = [];
  const sentryRuns: LoadResult[] = [];
  try {
    // Warm-up of both paths, then alternate so the growing database weighs on both alike.
    await loadIngest(server.url, native, { duration: 2 });
    await loadSentry(server.url, captured, sentry, 2);
    for (let round = 0; round < ROUNDS; round++) {
      nativeRuns.push(await loadIngest(server.url, native, { duration: DURATION }));
      sentryRuns.push(await loadSentry(server.url, captured, sentry, DURATION));
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const mean = (runs: LoadResult[]) => runs.reduce((s, r) => s + r.requestsPerSec, 0) / runs.length;
  const failures = [...nativeRuns, ...sentryRuns].reduce((s, r) => s + r.non2xx + r.errors, 0);
  const nativeRate = mean(nativeRuns);
  const sentryRate = mean(sentryRuns);
  const ratio = sentryRate / nativeRate;
  report({
    title: 'Sentry envelope ingest against native single-report batches (HTTP, 8 connections, same collector)',
    description:
      `The event envelope @sentry/node ${captured.headers['user-agent'] ?? ''} sent for one captureException (${Buffer.byteLength(captured.body)} bytes), replayed with a fresh event_id per request, ` +
      `against POST /v1/reports batches of one report (about 1.3 KB); ${ROUNDS} alternating runs of ${DURATION} s each after a 2 s warm-up of both, SQLite. ${failures} non-2xx answers or errors.`,
    rows: [
      { case: 'Sentry envelopes (POST /api/42/envelope/)', value: sentryRate, unit: 'events/s', ratio, baseline: 'native /v1/reports, one report per batch', target: '≥ 0.5x', met: ratio >= 0.5 && failures === 0 },
      { case: 'native /v1/reports, one report per batch', value: nativeRate, unit: 'reports/s' },
      { case: 'p99 latency, Sentry envelopes', value: Math.max(...sentryRuns.map((r) => r.p99)), unit: 'ms' },
      { case: 'p99 latency, native batches of one', value: Math.max(...nativeRuns.map((r) => r.p99)), unit: 'ms' },
    ],
  });
}

await main();
