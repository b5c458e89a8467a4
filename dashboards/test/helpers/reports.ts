// Builds schema-valid reports (sdk/src/report/schema.ts) for seeding a real collector in the browser tests,
// the screenshot and the UI benchmark: frames with in-app and library code, a spawn chain, causes, tags, trace.
import { randomBytes } from 'node:crypto';
import type { AsyncStackEntry, Frame, Level, LinkedError, Report } from '@faultline/sdk/schema';

export interface ReportSpec {
  service?: string;
  environment?: string;
  level?: Level;
  type?: string;
  message?: string;
  code?: string;
  /** When the error happened; default now. */
  at?: Date;
  /** In-app function and file at the top of the stack: what the collector groups by. */
  fn?: string;
  file?: string;
  frames?: Frame[];
  asyncStack?: AsyncStackEntry[] | null;
  causes?: LinkedError[] | null;
  errors?: LinkedError[];
  tags?: Record<string, string>;
  user?: Record<string, unknown>;
  request?: Record<string, unknown>;
  extra?: Record<string, unknown>;
  traceId?: string;
  fingerprint?: string[];
}

export function hexId(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

const lib = (file: string, fn: string, line: number): Frame => ({ file, function: fn, line, column: 9, inApp: false });
const app = (file: string, fn: string, line: number, async = false): Frame => ({
  file,
  function: fn,
  line,
  column: 13,
  inApp: true,
  ...(async ? { async: true } : {}),
});

/** The stack of a failure at `fn` in `file`: the app's frame, library frames around it, the app's callers. */
export function framesFor(service: string, fn: string, file: string): Frame[] {
  const root = `/srv/${service}`;
  return [
    lib(`${root}/node_modules/undici/lib/web/fetch/index.js`, 'fetchFinale', 1184),
    lib(`${root}/node_modules/undici/lib/web/fetch/index.js`, 'mainFetch', 943),
    app(`${root}/src/${file}`, fn, 42),
    lib('node:internal/process/task_queues', 'process.processTicksAndRejections', 95),
    app(`${root}/src/orders/place-order.ts`, 'placeOrder', 31, true),
    app(`${root}/src/http/routes.ts`, 'handleCheckout', 77, true),
    lib(`${root}/node_modules/fastify/lib/handleRequest.js`, 'preHandlerCallback', 142),
  ];
}

/** The spawn chain of a task started by an ErrGroup inside a WaitGroup task, innermost first. */
export function spawnChainFor(service: string): AsyncStackEntry[] {
  const root = `/srv/${service}`;
  return [
    {
      kind: 'errgroup',
      group: 'place-order',
      task: 'charge-card',
      frames: [app(`${root}/src/orders/place-order.ts`, 'placeOrder', 28), app(`${root}/src/http/routes.ts`, 'handleCheckout', 77)],
    },
    {
      kind: 'waitgroup',
      group: 'http-server',
      task: 'POST /checkout',
      frames: [app(`${root}/src/http/server.ts`, 'onRequest', 19), lib(`${root}/node_modules/fastify/lib/route.js`, 'runPreParsing', 512)],
    },
  ];
}

export function causesFor(service: string): LinkedError[] {
  return [
    {
      type: 'FetchError',
      message: 'request to https://payments.internal/charge failed: connect ECONNREFUSED 10.0.4.7:443',
      code: 'ECONNREFUSED',
      frames: [lib(`/srv/${service}/node_modules/undici/lib/core/connect.js`, 'onConnectTimeout', 210)],
    },
    {
      type: 'Error',
      message: 'connect ECONNREFUSED 10.0.4.7:443',
      code: 'ECONNREFUSED',
      frames: [lib('node:net', 'TCPConnectWrap.afterConnect', 1607)],
    },
  ];
}

/** One complete report; every field the UI shows is filled unless the spec turns it off. */
export function makeReport(spec: ReportSpec = {}): Report {
  const service = spec.service ?? 'checkout';
  const environment = spec.environment ?? 'production';
  const fn = spec.fn ?? 'chargeCard';
  const file = spec.file ?? 'payments/charge.ts';
  const type = spec.type ?? 'PaymentDeclinedError';
  const message = spec.message ?? 'card declined for order o_1042';
  const frames = spec.frames ?? framesFor(service, fn, file);
  const report: Report = {
    schema: 1,
    id: hexId(16),
    timestamp: (spec.at ?? new Date()).toISOString(),
    level: spec.level ?? 'error',
    message,
    type,
    ...(spec.code ? { code: spec.code } : {}),
    stack: `${type}: ${message}\n${frames.map((f) => `    at ${f.function} (${f.file}:${f.line ?? 0}:${f.column ?? 0})`).join('\n')}`,
    frames,
    handled: true,
    mechanism: 'errgroup',
    context: {
      tags: spec.tags ?? { region: 'eu-west-1', route: 'POST /checkout' },
      user: spec.user ?? { id: 'u_8812', segment: 'pro' },
      request: spec.request ?? { method: 'POST', url: 'https://shop.example.com/checkout', headers: { 'user-agent': 'curl/8.5' } },
      extra: spec.extra ?? { orderId: 'o_1042', attempt: 2 },
    },
    group: { kind: 'errgroup', name: 'place-order', task: 'charge-card', failFast: true, optional: false, started: 3, failed: 1, canceled: 2, elapsedMs: 812.5 },
    trace: { traceId: spec.traceId ?? hexId(16), spanId: hexId(8) },
    service: { name: service, version: '1.4.2', environment },
    runtime: { name: 'node', version: '20.20.0', platform: 'linux', arch: 'x64', hostname: `${service}-7f9c`, pid: 4242 },
    sdk: { name: '@faultline/sdk', version: '0.1.0' },
  };
  if (spec.asyncStack !== null) report.asyncStack = spec.asyncStack ?? spawnChainFor(service);
  if (spec.causes !== null) report.causes = spec.causes ?? causesFor(service);
  if (spec.errors) report.errors = spec.errors;
  if (spec.fingerprint) report.fingerprint = spec.fingerprint;
  return report;
}
