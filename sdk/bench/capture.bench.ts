// captureException of a fresh error 20 frames deep, up to the report being queued: faultline against
// @sentry/node's captureException (defaultIntegrations: false, a transport that does nothing), up to the event
// reaching that transport. Each SDK runs in its own plain-node child process (Sentry sets up OpenTelemetry
// context management, which would tax the other SDK in a shared process, and tsx's source maps would tax
// every stack); the children alternate, three times each.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, report } from '../../scripts/bench-report.js';

const PER_ROUND = 2000;
const ROUNDS = 15;
const WARMUP = 5;
const DEPTH = 20;
const TARGET = 0.5;

type Sdk = 'faultline' | 'faultline-scope' | 'sentry';

const CHILD = `
import { createServer } from 'node:http';
const [sdk, faultlineUrl, sentryUrl] = process.argv.slice(2);
const PER_ROUND = ${PER_ROUND}, ROUNDS = ${ROUNDS}, WARMUP = ${WARMUP}, DEPTH = ${DEPTH};
// Room for every frame of the 20-deep stack, for both SDKs alike.
Error.stackTraceLimit = 30;

/** Errors made 20 frames deep; their stacks are not formatted yet (that is part of capturing them). */
function freshErrors(n) {
  const deep = (d, i) => (d === 0 ? new Error('order ' + i + ' failed') : deep(d - 1, i));
  return Array.from({ length: n }, (_, i) => deep(DEPTH, i));
}

let capture, settle, between = async () => undefined;
if (sdk === 'sentry') {
  const Sentry = await import(sentryUrl);
  let sent = 0, expected = 0;
  Sentry.init({
    dsn: 'http://public@127.0.0.1:9/1',
    defaultIntegrations: false,
    transport: () => ({ send: () => { sent++; return Promise.resolve({}); }, flush: () => Promise.resolve(true) }),
  });
  capture = (e) => { expected++; Sentry.captureException(e); };
  // Sentry processes events through promise chains: the capture is done when the transport has it.
  settle = async () => { while (sent < expected) await new Promise((r) => setImmediate(r)); };
} else {
  const { init, captureException, flush, withScope } = await import(faultlineUrl);
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":0,"duplicates":0,"rejected":[]}'));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  server.unref();
  init({ endpoint: 'http://127.0.0.1:' + server.address().port, service: 'bench', maxQueue: 10000 });
  const scope = { tags: { route: '/orders/:id', region: 'eu-west-1' }, user: { id: 'u-1', email: 'a@example.com' } };
  capture = sdk === 'faultline-scope' ? (e) => withScope(scope, () => captureException(e)) : (e) => captureException(e);
  settle = () => new Promise((r) => setImmediate(r));
  between = () => flush(10000);
}
const perCapture = [];
for (let r = 0; r < WARMUP + ROUNDS; r++) {
  const errors = freshErrors(PER_ROUND);
  globalThis.gc?.();
  const t0 = performance.now();
  for (const e of errors) capture(e);
  await settle();
  if (r >= WARMUP) perCapture.push(((performance.now() - t0) * 1000) / PER_ROUND);
  await between();
}
perCapture.sort((a, b) => a - b);
process.stdout.write(String(perCapture[perCapture.length >> 1]));
process.exit(0);
`;

function runChild(file: string, sdk: Sdk): number {
  const urls = [import.meta.resolve('@faultline/sdk'), import.meta.resolve('@sentry/node')];
  const out = spawnSync(process.execPath, ['--expose-gc', file, sdk, ...urls], { encoding: 'utf8' });
  const us = Number(out.stdout.trim());
  if (out.status !== 0 || !Number.isFinite(us)) throw new Error(`${sdk} child failed: ${out.stderr}`);
  return us;
}

const dir = mkdtempSync(join(tmpdir(), 'faultline-capture-bench-'));
const file = join(dir, 'capture-child.mjs');
writeFileSync(file, CHILD);
const times: Record<Sdk, number[]> = { faultline: [], 'faultline-scope': [], sentry: [] };
try {
  for (let i = 0; i < 3; i++) {
    for (const sdk of Object.keys(times) as Sdk[]) times[sdk].push(runChild(file, sdk));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const sentry = median(times.sentry);
const ours = median(times.faultline);
const scoped = median(times['faultline-scope']);
report({
  title: 'captureException of a fresh error 20 frames deep, until the report is queued',
  description:
    `Per capture, median of ${ROUNDS} rounds of ${PER_ROUND} captures (after ${WARMUP} warm-up rounds), each SDK in its own ` +
    'plain-node process, three processes each. Sentry: `@sentry/node` with `defaultIntegrations: false` and a transport that ' +
    'does nothing, timed until every event reached that transport. `Error.stackTraceLimit = 30` in both, so all frames are captured.',
  rows: [
    { case: '@sentry/node captureException', value: sentry, unit: 'µs' },
    { case: 'faultline captureException', value: ours, unit: 'µs', ratio: ours / sentry, baseline: '@sentry/node', target: `≤ ${TARGET}x`, met: ours / sentry <= TARGET },
    { case: 'faultline, inside withScope (2 tags, a user)', value: scoped, unit: 'µs', ratio: scoped / sentry, baseline: '@sentry/node' },
  ],
});
