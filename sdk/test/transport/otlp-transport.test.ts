import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
// The collector's own OTLP endpoint is the counterpart under test (a test-only dependency across workspaces).
import { startCollector, type RunningCollector } from '../../../collector/src/start-collector.js';
import { captureException, close, flush, init } from '../../src/index.js';
import { runFixture } from '../client/run-fixture.js';

const quiet = { warn: () => undefined, debug: () => undefined };
const collectors: RunningCollector[] = [];
let stub: Server | undefined;

afterEach(async () => {
  await close(1000);
  await Promise.all(collectors.splice(0).map((c) => c.close()));
  await new Promise<void>((resolve) => (stub === undefined ? resolve() : stub.close(() => resolve())));
  stub = undefined;
});

async function collector(): Promise<RunningCollector> {
  const c = await startCollector({ port: 0, sqlitePath: ':memory:', logLevel: 'silent', uiDir: '/nonexistent-ui-dir', retentionIntervalMs: 0 });
  collectors.push(c);
  return c;
}

async function events(c: RunningCollector) {
  const { issues } = (await (await fetch(`${c.url}/api/issues`)).json()) as { issues: { id: string }[] };
  const out = [];
  for (const issue of issues) out.push(...((await (await fetch(`${c.url}/api/issues/${issue.id}/events`)).json()) as { events: Record<string, unknown>[] }).events);
  return out;
}

function failOrder(): Error {
  return new RangeError('quantity must be positive');
}

/** A stand-in OTLP endpoint that answers each request as `answers` says, in turn, and records the decoded bodies. */
async function stubEndpoint(answers: number[]): Promise<{ url: string; bodies: unknown[]; paths: string[]; headers: IncomingMessage['headers'][] }> {
  const seen = { bodies: [] as unknown[], paths: [] as string[], headers: [] as IncomingMessage['headers'][] };
  stub = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.paths.push(req.url ?? '');
      seen.headers.push(req.headers);
      seen.bodies.push(JSON.parse(gunzipSync(Buffer.concat(chunks)).toString()));
      const status = answers.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json', ...(status === 503 ? { 'retry-after': '0' } : {}) }).end('{}');
    });
  });
  await new Promise<void>((resolve) => stub!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(stub.address() as AddressInfo).port}`, ...seen };
}

describe('init({ otlp }) — reports as OTLP log records', () => {
  it("delivers each report to the collector's own /v1/logs, where it appears through the read API with its id", async () => {
    const c = await collector();
    init({ service: 'orders', environment: 'staging', release: '2.4.0', logger: quiet, captureUncaught: false, otlp: { endpoint: c.url, only: true } });
    const id = captureException(failOrder(), { tags: { region: 'eu' }, level: 'warning' });
    expect(await flush(5000)).toBe(true);
    const [event] = await events(c);
    expect(event).toMatchObject({
      id,
      mechanism: 'otlp',
      type: 'RangeError',
      message: 'quantity must be positive',
      level: 'warning',
      service: { name: 'orders', version: '2.4.0', environment: 'staging' },
      runtime: { name: 'nodejs' },
      context: { tags: { region: 'eu', 'faultline.mechanism': 'captureException' } },
    });
    expect((event!.frames as { function: string; inApp: boolean }[])[0]).toMatchObject({ function: 'failOrder', inApp: true });
  });

  it('also sends to the faultline collector unless `only`; a collector receiving both stores the report once', async () => {
    const main = await collector();
    const otlp = await collector();
    init({ endpoint: main.url, service: 'orders', logger: quiet, captureUncaught: false, otlp: { endpoint: otlp.url } });
    const id = captureException(failOrder());
    expect(await flush(5000)).toBe(true);
    expect((await events(main)).map((e) => [e.id, e.mechanism])).toEqual([[id, 'captureException']]);
    expect((await events(otlp)).map((e) => [e.id, e.mechanism])).toEqual([[id, 'otlp']]);

    init({ endpoint: main.url, service: 'orders', logger: quiet, captureUncaught: false, otlp: { endpoint: main.url } });
    const second = captureException(failOrder());
    expect(await flush(5000)).toBe(true);
    expect((await events(main)).filter((e) => e.id === second)).toHaveLength(1);
  });

  it('retries a failed export (503 with Retry-After) through the same transport and sends the configured headers', async () => {
    const endpoint = await stubEndpoint([503, 200]);
    init({ endpoint: 'http://127.0.0.1:9', service: 'orders', logger: quiet, captureUncaught: false, otlp: { endpoint: `${endpoint.url}/v1/logs`, headers: { Authorization: 'Bearer otel' }, only: true } });
    captureException(failOrder());
    expect(await flush(10_000)).toBe(true);
    expect(endpoint.paths).toEqual(['/v1/logs', '/v1/logs']);
    expect(endpoint.headers[0]).toMatchObject({ authorization: 'Bearer otel', 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(endpoint.bodies[1]).toEqual(endpoint.bodies[0]);
  });

  it('batches several reports into one request', async () => {
    const endpoint = await stubEndpoint([]);
    init({ endpoint: 'http://127.0.0.1:9', service: 'orders', logger: quiet, captureUncaught: false, otlp: { endpoint: endpoint.url, only: true } });
    for (let i = 0; i < 5; i++) captureException(new Error(`failure ${i}`));
    expect(await flush(5000)).toBe(true);
    expect(endpoint.bodies).toHaveLength(1);
    expect((endpoint.bodies[0] as { resourceLogs: { scopeLogs: { logRecords: unknown[] }[] }[] }).resourceLogs[0]!.scopeLogs[0]!.logRecords).toHaveLength(5);
  });

  it('never throws into the application when the OTLP endpoint is down, and flush reports the loss', async () => {
    init({ endpoint: 'http://127.0.0.1:9', service: 'orders', logger: quiet, captureUncaught: false, otlp: { endpoint: 'http://127.0.0.1:9', only: true } });
    expect(() => captureException(failOrder())).not.toThrow();
    expect(await flush(300)).toBe(false);
  });

  it('never keeps the process alive', async () => {
    const out = await runFixture(fileURLToPath(new URL('./fixtures/otlp-idle-exit.ts', import.meta.url)), {});
    expect(out.stdout).toContain('flushed false');
    // Timers and sockets still referenced (the stdio pipes are the parent's).
    const resources = JSON.parse(/resources (.*)/.exec(out.stdout)?.[1] ?? 'null') as string[];
    expect(resources.filter((r) => r === 'Timeout' || r === 'TCPSocketWrap' || r === 'TCPWrap')).toEqual([]);
    expect(out.code).toBe(0);
  }, 20_000);
});
