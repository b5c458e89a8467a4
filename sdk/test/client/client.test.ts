import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Client } from '../../src/client/client.js';
import { resolveOptions, type InitOptions } from '../../src/client/options.js';
import { ErrGroup } from '../../src/group/err-group.js';
import { LIMITS } from '../../src/report/limits.js';
import type { Report } from '../../src/report/schema.js';
import { withScope } from '../../src/scope/scope.js';
import { fastScheduler, LoopbackCollector } from '../transport/loopback-collector.js';

let collector: LoopbackCollector;
let clients: Client[];
let warn: ReturnType<typeof vi.fn<(details: object, message: string) => void>>;

beforeEach(async () => {
  collector = await LoopbackCollector.start();
  clients = [];
  warn = vi.fn<(details: object, message: string) => void>();
});

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(clients.map((c) => c.close(200)));
  await collector.close();
});

function client(options: Partial<InitOptions> = {}): Client {
  const c = new Client(
    resolveOptions({ endpoint: collector.url, service: 'client-test', logger: { warn, debug: () => undefined }, ...options }),
    { scheduler: fastScheduler(1000) },
  );
  clients.push(c);
  return c;
}

async function sent(c: Client): Promise<Report[]> {
  await c.flush(5000);
  return collector.acceptedReports;
}

describe('Client', () => {
  it('captureException returns the id of the report it sends', async () => {
    const c = client();
    const id = c.captureException(new Error('boom'));
    const [report] = await sent(c);
    expect(report!.id).toBe(id);
    expect(report).toMatchObject({ message: 'boom', level: 'error', handled: true, mechanism: 'captureException' });
    expect(report!.service).toEqual({ name: 'client-test' });
  });

  it('captureException uses the level, tags and fingerprint it is given', async () => {
    const c = client();
    c.captureException(new Error('x'), { level: 'warning', tags: { tenant: 't1' }, fingerprint: ['{{ default }}', 't1'] });
    const [report] = await sent(c);
    expect(report).toMatchObject({ level: 'warning', context: { tags: { tenant: 't1' } }, fingerprint: ['{{ default }}', 't1'] });
  });

  it('falls back to level error, with one warning, for an unknown level', async () => {
    const c = client();
    c.captureException(new Error('x'), { level: 'critical' as 'error' });
    c.captureException(new Error('y'), { level: 'loud' as 'error' });
    const reports = await sent(c);
    expect(reports.map((r) => r.level)).toEqual(['error', 'error']);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('logs the unknown level under its own key, leaving pino’s level field alone', () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const c = client({ logger });
    c.captureException(new Error('x'), { level: 'critical' as 'error' });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.match(/"level":/g)).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, givenLevel: 'critical' });
  });

  it('reports a thrown string with the capture site as its frames', async () => {
    const c = client();
    c.captureException('just a string');
    const [report] = await sent(c);
    expect(report).toMatchObject({ type: 'NonError', message: 'just a string' });
    expect(report!.frames[0]!.file).toContain('client.test.ts');
  });

  it('carries the scope where it is called as context', async () => {
    const c = client();
    withScope({ tags: { route: '/orders' }, user: { id: 'u1', password: 'p' } }, () => {
      c.captureException(new Error('scoped'));
    });
    const [report] = await sent(c);
    expect(report!.context).toMatchObject({ tags: { route: '/orders' }, user: { id: 'u1', password: '[redacted]' } });
  });

  it('returns an id even when the report is dropped', async () => {
    const c = client({ sampleRate: 0 });
    expect(c.captureException(new Error('x'))).toMatch(/^[0-9a-f]{32}$/);
    expect(await sent(c)).toEqual([]);
  });

  it('drops a share of reports by sampleRate, counted as sample_rate', async () => {
    const draws = [0.1, 0.9, 0.2, 0.8];
    vi.spyOn(Math, 'random').mockImplementation(() => draws.shift() ?? 0);
    const c = client({ sampleRate: 0.5 });
    const ids = [1, 2, 3, 4].map((i) => c.captureException(new Error(`e${i}`)));
    const reports = await sent(c);
    expect(reports.map((r) => r.id)).toEqual([ids[0], ids[2]]);
    expect(collector.received[0]!.dropped).toEqual({ sample_rate: 2 });
  });

  it('lets beforeSend change a report', async () => {
    const c = client({
      beforeSend: (r) => {
        r.message = r.message.replace(/\d+/g, '<n>');
        r.context.tags.scrubbed = 'yes';
        r.frames = r.frames.filter((f) => f.inApp);
        return r;
      },
    });
    c.captureException(new Error('order 1234 failed'));
    const [report] = await sent(c);
    expect(report).toMatchObject({ message: 'order <n> failed', context: { tags: { scrubbed: 'yes' } } });
  });

  it('gives beforeSend a copy: what it changes does not leak into later reports', async () => {
    const make = () => new Error('same place');
    const c = client({
      beforeSend: (r) => {
        r.frames[0]!.file = 'changed';
        r.runtime.name = 'changed';
        return r;
      },
    });
    c.captureException(make());
    const unhooked = client();
    unhooked.captureException(make());
    await sent(c);
    await unhooked.flush(5000);
    const [hooked, plain] = collector.acceptedReports;
    expect(hooked!.frames[0]!.file).toBe('changed');
    expect(plain!.frames[0]!.file).toContain('client.test.ts');
    expect(plain!.runtime.name).toBe('node');
  });

  it('cuts what beforeSend put into user, request and extra to the context limits, so the collector keeps the report', async () => {
    let deep: Record<string, unknown> = { leaf: 'bottom' };
    for (let i = 0; i < 8; i++) deep = { down: deep };
    const c = client({
      beforeSend: (r) => {
        r.context.extra = { blob: 'x'.repeat(20_000) };
        r.context.user = deep;
        return r;
      },
    });
    c.captureException(new Error('with a big extra'));
    const [report] = await sent(c);
    expect(Buffer.byteLength(JSON.stringify(report!.context.extra))).toBeLessThanOrEqual(LIMITS.contextBytes);
    expect(depthOf(report!.context.user)).toBeLessThanOrEqual(LIMITS.contextDepth);
    expect(c.drops.snapshot()).toBeUndefined();
  });

  it('drops a report when beforeSend returns null, counted as before_send', async () => {
    const c = client({ beforeSend: (r) => (r.message === 'drop me' ? null : r) });
    c.captureException(new Error('drop me'));
    c.captureException(new Error('keep me'));
    const reports = await sent(c);
    expect(reports.map((r) => r.message)).toEqual(['keep me']);
    expect(collector.received[0]!.dropped).toEqual({ before_send: 1 });
  });

  it('drops a report when beforeSend throws, counted and warned once', async () => {
    const c = client({
      beforeSend: () => {
        throw new Error('hook bug');
      },
    });
    expect(() => c.captureException(new Error('a'))).not.toThrow();
    c.captureException(new Error('b'));
    expect(await sent(c)).toEqual([]);
    expect(c.drops.get('before_send_error')).toBe(2);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('drops a report that beforeSend made invalid, counted as invalid', async () => {
    const c = client({ beforeSend: (r) => ({ ...r, level: 'catastrophic' }) as unknown as Report });
    c.captureException(new Error('a'));
    expect(await sent(c)).toEqual([]);
    expect(c.drops.get('invalid')).toBe(1);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ path: '/level' }), expect.any(String));
  });

  it('never throws into the caller, whatever it is given', () => {
    const c = client();
    const hostileOptions = new Proxy(
      {},
      {
        get() {
          throw new Error('options trap');
        },
      },
    );
    const { proxy, revoke } = Proxy.revocable(new Error('r'), {});
    revoke();
    expect(() => c.captureException(new Error('x'), hostileOptions)).not.toThrow();
    expect(() => c.captureException(proxy)).not.toThrow();
    expect(() => c.captureException(undefined, { tags: null as unknown as Record<string, string> })).not.toThrow();
    expect(c.captureException(new Error('x'), hostileOptions)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('reports group failures handed to the capture sink, with their group facts and spawn chain', async () => {
    const c = client();
    const group = { kind: 'errgroup', name: 'checkout', task: 'charge', failFast: true, optional: false, started: 2, failed: 1, canceled: 1, elapsedMs: 3 } as const;
    const g = new ErrGroup({ name: 'checkout' });
    void g.go(
      () => {
        throw new Error('card declined');
      },
      { name: 'charge' },
    );
    const error = await g.wait().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    c.captureFailure({ error: error!, level: 'error', handled: true, mechanism: 'errgroup', group, scope: { tags: { step: 'pay' } } });
    const [report] = await sent(c);
    expect(report).toMatchObject({ mechanism: 'errgroup', group, context: { tags: { step: 'pay' } } });
    expect(report!.asyncStack![0]).toMatchObject({ kind: 'errgroup', group: 'checkout', task: 'charge' });
    expect(report!.asyncStack![0]!.frames[0]!.file).toContain('client.test.ts');
  });

  it('drops captures after close', async () => {
    const c = client();
    await c.close(1000);
    c.captureException(new Error('late'));
    expect(c.drops.get('closed')).toBe(1);
    expect(collector.received).toEqual([]);
  });
});

/** How many objects deep `value` nests (a scalar is 0). */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}
