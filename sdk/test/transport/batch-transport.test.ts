import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Diagnostics } from '../../src/client/diagnostics.js';
import { buildReport } from '../../src/report/build-report.js';
import { reportOrigin } from '../../src/report/origin.js';
import type { Report } from '../../src/report/schema.js';
import { BatchTransport, type TransportOptions } from '../../src/transport/batch-transport.js';
import { DropCounter } from '../../src/transport/drop-counter.js';
import { fastScheduler, LoopbackCollector } from './loopback-collector.js';

const origin = reportOrigin({ service: 'transport-test' });

function makeReport(i: number, extra?: Record<string, unknown>): Report {
  return buildReport(
    {
      error: new Error(`failure ${i}`),
      level: 'error',
      handled: true,
      mechanism: 'captureException',
      ...(extra !== undefined ? { scope: { tags: {}, extra } } : {}),
    },
    origin,
  );
}

let collector: LoopbackCollector;
let transports: BatchTransport[];
let warn: ReturnType<typeof vi.fn<(details: object, message: string) => void>>;

beforeEach(async () => {
  collector = await LoopbackCollector.start();
  transports = [];
  warn = vi.fn<(details: object, message: string) => void>();
});

afterEach(async () => {
  await Promise.all(transports.map((t) => t.close(100)));
  await collector.close();
});

function transport(options: Partial<TransportOptions> = {}): BatchTransport & { scheduler: ReturnType<typeof fastScheduler> } {
  const scheduler = fastScheduler(1000);
  const t = new BatchTransport({
    endpoint: collector.url,
    apiKey: 'key-1',
    scheduler,
    random: () => 0.5,
    diagnostics: new Diagnostics({ warn, debug: () => undefined }),
    ...options,
  });
  transports.push(t);
  return Object.assign(t, { scheduler });
}

function enqueueMany(t: BatchTransport, n: number, extra?: Record<string, unknown>): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = makeReport(i, extra);
    ids.push(r.id);
    t.enqueue(r);
  }
  return ids;
}

/** Same ids, each once; batches in flight together may be acknowledged in either order. */
function expectSameIds(actual: readonly string[], expected: readonly string[]): void {
  expect(actual).toHaveLength(expected.length);
  expect([...actual].sort()).toEqual([...expected].sort());
}

describe('BatchTransport', () => {
  it('POSTs gzipped JSON batches to {endpoint}/v1/reports with the API key as a bearer token', async () => {
    const t = transport();
    const ids = enqueueMany(t, 3);
    expect(await t.flush()).toBe(true);
    const [batch] = collector.received;
    expect(batch!.method).toBe('POST');
    expect(batch!.path).toBe('/v1/reports');
    expect(batch!.gzipped).toBe(true);
    expect(batch!.headers.authorization).toBe('Bearer key-1');
    expect(batch!.headers['content-type']).toBe('application/json');
    expect(batch!.reports.map((r) => r.id)).toEqual(ids);
  });

  it('keeps an endpoint path prefix', async () => {
    const t = transport({ endpoint: `${collector.url}/ingest/` });
    enqueueMany(t, 1);
    await t.flush();
    expect(collector.received[0]!.path).toBe('/ingest/v1/reports');
  });

  it('puts at most 100 reports in a batch', async () => {
    const t = transport();
    const ids = enqueueMany(t, 250);
    expect(await t.flush()).toBe(true);
    const sizes = collector.received.map((b) => b.reports.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
    expectSameIds(collector.accepted, ids);
  });

  it('keeps each batch body within the byte limit', async () => {
    const t = transport({ maxBatchBytes: 16 * 1024 });
    const ids = enqueueMany(t, 40, { note: 'x'.repeat(2000) });
    expect(await t.flush()).toBe(true);
    expect(collector.received.length).toBeGreaterThan(4);
    for (const b of collector.received) expect(b.jsonBytes).toBeLessThanOrEqual(16 * 1024);
    expectSameIds(collector.accepted, ids);
  });

  it('sends a batch that did not fill once it is a batch delay old', async () => {
    const t = transport({ batchDelayMs: 1000 });
    const ids = enqueueMany(t, 3);
    await collector.waitFor(() => collector.accepted.length === 3);
    expectSameIds(collector.accepted, ids);
    expect(t.scheduler.delays).toContain(1000);
  });

  it('sends a full batch at once, without waiting for the batch delay', async () => {
    const t = transport({ batchDelayMs: 1e12 });
    enqueueMany(t, 100);
    await collector.waitFor(() => collector.accepted.length === 100);
    expect(collector.received[0]!.reports).toHaveLength(100);
  });

  it('has at most 2 requests in flight', async () => {
    collector.respond = () => ({ status: 202, body: { accepted: 0, duplicates: 0, rejected: [] }, delayMs: 30 });
    const t = transport({ maxQueue: 2000 });
    enqueueMany(t, 1000);
    expect(await t.flush(20_000)).toBe(true);
    expect(collector.received.length).toBeGreaterThanOrEqual(10);
    expect(collector.maxInFlight).toBe(2);
  });

  it('retries a 503 with backoff (the first retry within 1 s) and then delivers', async () => {
    let n = 0;
    collector.respond = () => (n++ === 0 ? { status: 503 } : 'accept');
    const t = transport();
    const ids = enqueueMany(t, 5);
    expect(await t.flush()).toBe(true);
    expectSameIds(collector.accepted, ids);
    expect(collector.received).toHaveLength(2);
    const retryDelay = t.scheduler.delays.find((d) => d > 0);
    expect(retryDelay).toBeGreaterThan(0);
    expect(retryDelay).toBeLessThanOrEqual(1000);
  });

  it.each([500, 502, 504])('retries a %i', async (status) => {
    let n = 0;
    collector.respond = () => (n++ === 0 ? { status } : 'accept');
    const t = transport();
    const ids = enqueueMany(t, 2);
    expect(await t.flush()).toBe(true);
    expectSameIds(collector.accepted, ids);
  });

  it('doubles the backoff on each failure, capped at 30 s', async () => {
    let n = 0;
    collector.respond = () => (n++ < 8 ? { status: 503 } : 'accept');
    const t = transport({ batchDelayMs: 1e12 });
    enqueueMany(t, 1);
    expect(await t.flush(60_000)).toBe(true);
    // random() is 0.5: each delay is 3/4 of its window (1 s, 2 s, 4 s, ... capped at 30 s).
    expect(t.scheduler.delays.filter((d) => d !== 1e12)).toEqual([750, 1500, 3000, 6000, 12_000, 22_500, 22_500, 22_500]);
  });

  it('waits at least Retry-After after a 429', async () => {
    let n = 0;
    collector.respond = () => (n++ === 0 ? { status: 429, headers: { 'retry-after': '7' } } : 'accept');
    const t = transport();
    const ids = enqueueMany(t, 4);
    expect(await t.flush(60_000)).toBe(true);
    expectSameIds(collector.accepted, ids);
    expect(Math.max(...t.scheduler.delays)).toBeGreaterThanOrEqual(7000);
  });

  it('reads Retry-After given as an HTTP date', async () => {
    let n = 0;
    const t = transport();
    collector.respond = () =>
      n++ === 0 ? { status: 503, headers: { 'retry-after': new Date(t.scheduler.now() + 20_000).toUTCString() } } : 'accept';
    enqueueMany(t, 1);
    expect(await t.flush(60_000)).toBe(true);
    expect(Math.max(...t.scheduler.delays)).toBeGreaterThanOrEqual(18_000);
  });

  it('retries when the connection is closed mid-request', async () => {
    collector.destroyBeforeBody = 2;
    const t = transport();
    const ids = enqueueMany(t, 10);
    expect(await t.flush()).toBe(true);
    expectSameIds(collector.accepted, ids);
  });

  it('retries when the connection is closed before the answer; report ids make the retry safe', async () => {
    let n = 0;
    collector.respond = () => (n++ === 0 ? 'destroy' : 'accept');
    const t = transport();
    const ids = enqueueMany(t, 10);
    expect(await t.flush()).toBe(true);
    expect(collector.received).toHaveLength(2);
    expect(collector.received[1]!.reports.map((r) => r.id)).toEqual(ids);
    expectSameIds(collector.accepted, ids);
  });

  it('loses nothing within the queue capacity while the collector is down, and delivers each report once', async () => {
    const t = transport({ maxQueue: 1000 });
    const before = enqueueMany(t, 50);
    expect(await t.flush(10_000)).toBe(true);
    await collector.goDown();
    const during = enqueueMany(t, 600);
    expect(await t.flush(300)).toBe(false); // nothing can be acknowledged while it is down
    await collector.comeBack();
    expect(await t.flush(60_000)).toBe(true);
    expect(collector.accepted.length).toBe(650);
    expect(new Set(collector.accepted)).toEqual(new Set([...before, ...during]));
    expect(collector.duplicateIds).toEqual([]);
    expect(t.drops.snapshot()).toBeUndefined();
  });

  it('waits for slow answers and loses nothing', async () => {
    collector.respond = () => ({ status: 202, body: { accepted: 0, duplicates: 0, rejected: [] }, delayMs: 300 });
    const t = transport();
    const ids = enqueueMany(t, 120);
    expect(await t.flush(20_000)).toBe(true);
    expectSameIds(collector.accepted, ids);
    expect(collector.received).toHaveLength(2);
  });

  it('retries an answer slower than the request timeout', async () => {
    let n = 0;
    collector.respond = () => (n++ === 0 ? { status: 202, body: {}, delayMs: 1000 } : 'accept');
    const t = transport({ requestTimeoutMs: 100 });
    const ids = enqueueMany(t, 3);
    expect(await t.flush(20_000)).toBe(true);
    expect(collector.received.length).toBeGreaterThanOrEqual(2);
    expectSameIds(collector.accepted, ids);
  });

  it('gives up on an answer that trickles in past the request timeout, and retries', async () => {
    collector.respond = (b) => (b.n === 0 ? 'trickle' : 'accept');
    const t = transport({ requestTimeoutMs: 300 });
    const ids = enqueueMany(t, 3);
    expect(await t.flush(10_000)).toBe(true);
    expect(collector.received).toHaveLength(2);
    expectSameIds(collector.accepted, ids);
  });

  it('counts a report the answer rejects twice once', async () => {
    const twice = [
      { index: 0, error: 'message too long' },
      { index: 0, error: 'message too long' },
    ];
    collector.respond = () => ({ status: 202, body: { accepted: 1, duplicates: 0, rejected: twice } });
    const t = transport();
    enqueueMany(t, 2);
    expect(await t.flush()).toBe(false);
    expect(t.drops.get('rejected')).toBe(1);
  });

  it.each([400, 401, 413])('drops the batch on %i, counts it by reason and warns once', async (status) => {
    collector.respond = () => ({ status, body: { error: 'no' } });
    const t = transport();
    enqueueMany(t, 250);
    expect(await t.flush()).toBe(false);
    expect(collector.received).toHaveLength(3); // not retried
    expect(t.drops.get(`http_${status}`)).toBe(250);
    const warnings = warn.mock.calls.filter(([, msg]) => String(msg).includes('collector'));
    expect(warnings).toHaveLength(1);
  });

  it('counts per-report rejections in a 202 and does not retry them', async () => {
    collector.respond = (b) =>
      b.n === 0
        ? { status: 202, body: { accepted: 2, duplicates: 0, rejected: [{ index: 1, error: 'message too long' }] } }
        : 'accept';
    const t = transport();
    enqueueMany(t, 3);
    expect(await t.flush()).toBe(false);
    expect(collector.received).toHaveLength(1);
    expect(t.drops.get('rejected')).toBe(1);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ error: 'message too long' }), expect.any(String));
  });

  it('sends dropped counts with the next batch and forgets them only once delivered', async () => {
    let n = 0;
    collector.respond = () => (n++ === 0 ? { status: 503 } : 'accept');
    const drops = new DropCounter();
    drops.add('sample_rate', 3);
    const t = transport({ drops });
    enqueueMany(t, 2);
    expect(await t.flush()).toBe(true);
    expect(collector.received.map((b) => b.dropped)).toEqual([{ sample_rate: 3 }, { sample_rate: 3 }]);
    expect(drops.snapshot()).toBeUndefined();
    enqueueMany(t, 1);
    await t.flush();
    expect(collector.received[2]!.dropped).toBeUndefined();
  });

  it('never sends the same dropped counts in two batches', async () => {
    collector.respond = () => ({ status: 202, body: { accepted: 0, duplicates: 0, rejected: [] }, delayMs: 20 });
    const drops = new DropCounter();
    drops.add('before_send', 5);
    const t = transport({ drops });
    enqueueMany(t, 400);
    expect(await t.flush(20_000)).toBe(true);
    const carried = collector.received.filter((b) => b.dropped !== undefined);
    expect(carried).toHaveLength(1);
    expect(carried[0]!.dropped).toEqual({ before_send: 5 });
  });

  it('keeps dropped counts when the batch carrying them is refused', async () => {
    let n = 0;
    collector.respond = () => (n++ === 0 ? { status: 400 } : 'accept');
    const drops = new DropCounter();
    drops.add('sample_rate', 2);
    const t = transport({ drops });
    enqueueMany(t, 1);
    await t.flush();
    expect(drops.snapshot()).toEqual({ sample_rate: 2, http_400: 1 });
    enqueueMany(t, 1);
    expect(await t.flush()).toBe(true);
    expect(collector.received[1]!.dropped).toEqual({ sample_rate: 2, http_400: 1 });
    expect(drops.snapshot()).toBeUndefined();
  });

  it('sends dropped counts on their own when flushed with no report to carry them', async () => {
    const drops = new DropCounter();
    drops.add('before_send', 4);
    const t = transport({ drops });
    expect(await t.flush()).toBe(true);
    await collector.waitFor(() => collector.received.length === 1);
    expect(collector.received[0]!.reports).toEqual([]);
    expect(collector.received[0]!.dropped).toEqual({ before_send: 4 });
  });

  it('drops the oldest report when the queue is full while sending cannot keep up, and counts it', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    collector.respond = async () => {
      await held;
      return 'accept' as const;
    };
    const t = transport({ maxQueue: 10, maxBatchReports: 1, maxInFlight: 1, batchDelayMs: 1e12 });
    const ids = enqueueMany(t, 16);
    // One report is in flight (held by the collector); the queue keeps the newest 10 of the other 15.
    expect(t.queued).toBe(10);
    expect(t.drops.get('queue_overflow')).toBe(5);
    expect(warn).toHaveBeenCalledTimes(1);
    release();
    expect(await t.flush()).toBe(true);
    expectSameIds(collector.accepted, [ids[0]!, ...ids.slice(6)]);
    expect(collector.received.flatMap((b) => (b.dropped ? [b.dropped] : []))).toEqual([{ queue_overflow: 5 }]);
  });

  it('sends at once when the queue is full, even if it is smaller than a batch, so a live collector loses nothing', async () => {
    const t = transport({ maxQueue: 20, batchDelayMs: 1e12 });
    const ids: string[] = [];
    for (let round = 0; round < 5; round++) {
      ids.push(...enqueueMany(t, 20));
      await collector.waitFor(() => collector.accepted.length === ids.length);
    }
    expect(t.drops.get('queue_overflow')).toBe(0);
    expectSameIds(collector.accepted, ids);
  });

  it('flush resolves true at once when nothing is queued', async () => {
    const t = transport();
    expect(await t.flush()).toBe(true);
    expect(collector.received).toHaveLength(0);
  });

  it('flush resolves false when its time runs out', async () => {
    await collector.goDown();
    const t = transport();
    enqueueMany(t, 1);
    expect(await t.flush(50)).toBe(false);
  });

  it('flush waits only for reports queued before it', async () => {
    collector.respond = (b) => (b.n === 0 ? 'accept' : { status: 503 });
    const t = transport({ batchDelayMs: 1e12 });
    const first = enqueueMany(t, 3);
    const flushed = t.flush(5000);
    enqueueMany(t, 3); // queued after the flush; their batch never succeeds
    expect(await flushed).toBe(true);
    expectSameIds(collector.accepted, first);
  });

  it('close flushes, stops, and drops later reports', async () => {
    const t = transport();
    const ids = enqueueMany(t, 5);
    expect(await t.close()).toBe(true);
    expectSameIds(collector.accepted, ids);
    t.enqueue(makeReport(99));
    expect(t.drops.get('closed')).toBe(1);
    expect(await t.flush()).toBe(true);
    expect(collector.received).toHaveLength(1);
  });

  it('close gives up after its timeout when the collector is down', async () => {
    await collector.goDown();
    const t = transport();
    enqueueMany(t, 5);
    expect(await t.close(100)).toBe(false);
    // The batch that was being retried is given up once its retry wakes to a stopped transport.
    await vi.waitFor(() => expect(t.drops.get('closed')).toBe(5));
  });

  it('drops a report that cannot be serialized and sends the rest', async () => {
    const t = transport();
    const bad = makeReport(1);
    (bad.context as { extra?: unknown }).extra = { n: 1n };
    t.enqueue(bad);
    const ids = enqueueMany(t, 2);
    expect(await t.flush()).toBe(false);
    expectSameIds(collector.accepted, ids);
    expect(collector.received[0]!.dropped).toEqual({ invalid: 1 });
  });
});
