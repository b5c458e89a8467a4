import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getGroupInstrumentation } from '../../src/capture/instrumentation.js';
import { captureFailure, hasCaptureSink } from '../../src/capture/sink.js';
import type * as ClientModule from '../../src/client/client.js';
import type { ResolvedOptions } from '../../src/client/options.js';
import { groupDefaults, setGroupDefaults } from '../../src/group/defaults.js';
import { captureException, close, flush, init } from '../../src/index.js';
import { LoopbackCollector } from '../transport/loopback-collector.js';
import { runFixture, type FixtureOutcome } from './run-fixture.js';

// A Client whose construction fails when `failClient.next` is set: a failure init's option checks cannot catch.
const failClient = vi.hoisted(() => ({ next: false }));
vi.mock('../../src/client/client.js', async (importOriginal) => {
  const real = await importOriginal<typeof ClientModule>();
  class Client extends real.Client {
    constructor(options: ResolvedOptions) {
      if (failClient.next) {
        failClient.next = false;
        throw new RangeError('client could not be made');
      }
      super(options);
    }
  }
  return { ...real, Client };
});

const FIXTURE = fileURLToPath(new URL('../fixtures/idle-exit.ts', import.meta.url));
const quiet = { warn: () => undefined, debug: () => undefined };

let collector: LoopbackCollector;

beforeEach(async () => {
  collector = await LoopbackCollector.start();
});

afterEach(async () => {
  await close(500);
  await collector.close();
});

function run(scenario: string, endpoint?: string): Promise<FixtureOutcome> {
  return runFixture(FIXTURE, { SCENARIO: scenario, ...(endpoint !== undefined ? { FAULTLINE_ENDPOINT: endpoint } : {}) });
}

describe('init', () => {
  it('sends captured reports to the collector; flush resolves once they are acknowledged', async () => {
    init({ endpoint: collector.url, service: 'init-test', logger: quiet });
    const id = captureException(new Error('through init'));
    expect(await flush(5000)).toBe(true);
    expect(collector.accepted).toEqual([id]);
  });

  it('installs the capture sink that groups report through, and close removes it', async () => {
    init({ endpoint: collector.url, service: 'init-test', logger: quiet });
    expect(hasCaptureSink()).toBe(true);
    captureFailure({ error: new Error('from a group'), level: 'warning', handled: true, mechanism: 'waitgroup' });
    await flush(5000);
    expect(collector.acceptedReports[0]).toMatchObject({ message: 'from a group', level: 'warning', mechanism: 'waitgroup' });
    await close(1000);
    expect(hasCaptureSink()).toBe(false);
  });

  it('throws a TypeError naming the option when an option is wrong, and installs nothing', () => {
    expect(() => init({ endpoint: 'nope', service: 'x' })).toThrow(/`endpoint`/);
    expect(hasCaptureSink()).toBe(false);
  });

  it('replaces the previous configuration when called again', async () => {
    const other = await LoopbackCollector.start();
    try {
      init({ endpoint: other.url, service: 'first', logger: quiet });
      init({ endpoint: collector.url, service: 'second', logger: quiet });
      captureException(new Error('to the second'));
      await flush(5000);
      expect(collector.acceptedReports.map((r) => r.service.name)).toEqual(['second']);
      expect(other.received).toEqual([]);
    } finally {
      await other.close();
    }
  });

  /** A first client on a collector that acknowledges after `delayMs`, one queued report, then a second init. */
  async function afterSecondInit(delayMs: number, body: (previous: LoopbackCollector, before: string) => Promise<void>): Promise<void> {
    const previous = await LoopbackCollector.start();
    previous.respond = () => ({ status: 202, delayMs });
    try {
      init({ endpoint: previous.url, service: 'first', logger: quiet });
      const before = captureException(new Error('queued before the second init'));
      init({ endpoint: collector.url, service: 'second', logger: quiet });
      await body(previous, before);
    } finally {
      await previous.close();
    }
  }

  it('flush after a second init waits until the previous client’s queued reports are acknowledged', async () => {
    await afterSecondInit(300, async (previous, before) => {
      const after = captureException(new Error('after it'));
      expect(await flush(5000)).toBe(true);
      expect(previous.accepted).toEqual([before]);
      expect(collector.accepted).toEqual([after]);
    });
  });

  it('flush after a second init resolves false when the previous client’s reports are not acknowledged in time', async () => {
    await afterSecondInit(500, async (previous) => {
      expect(await flush(50)).toBe(false);
      // Still delivered in the background, and waited for by the next flush or close.
      expect(await close(5000)).toBe(true);
      expect(previous.accepted).toHaveLength(1);
    });
  });

  it('close after a second init waits for the previous client’s queued reports too', async () => {
    await afterSecondInit(300, async (previous, before) => {
      expect(await close(5000)).toBe(true);
      expect(previous.accepted).toEqual([before]);
    });
  });

  it('a replaced client keeps retrying while the collector is down, however long, and delivers once it is back', async () => {
    const previous = await LoopbackCollector.start();
    const downUntil = Date.now() + 6000; // longer than any flush or close default
    previous.respond = () => (Date.now() < downUntil ? { status: 503 } : 'accept');
    try {
      init({ endpoint: previous.url, service: 'first', logger: quiet });
      const before = captureException(new Error('queued while the collector is down'));
      init({ endpoint: previous.url, service: 'first', logger: quiet });
      expect(await flush(20_000)).toBe(true);
      expect(previous.accepted).toEqual([before]);
    } finally {
      await previous.close();
    }
  }, 30_000);

  it('close gives a replaced client its timeout, then drops what it could not deliver', async () => {
    const previous = await LoopbackCollector.start();
    previous.respond = () => ({ status: 503 });
    try {
      init({ endpoint: previous.url, service: 'first', logger: quiet });
      captureException(new Error('never delivered'));
      init({ endpoint: collector.url, service: 'second', logger: quiet });
      expect(await close(300)).toBe(false);
      const attempts = previous.received.length;
      previous.respond = () => 'accept';
      await new Promise((r) => setTimeout(r, 1500)); // past the next retry, had the client not been closed
      expect(previous.received).toHaveLength(attempts);
      expect(previous.accepted).toEqual([]);
    } finally {
      await previous.close();
    }
  });

  it('keeps the previous client installed when a second init fails', async () => {
    init({ endpoint: collector.url, service: 'first', logger: quiet });
    const listeners = process.listenerCount('uncaughtException');
    expect(() => init({ endpoint: collector.url, service: 'second', logger: quiet, maxQueue: 2 ** 32 })).toThrow(/`maxQueue`/);
    failClient.next = true;
    expect(() => init({ endpoint: collector.url, service: 'second', logger: quiet })).toThrow('client could not be made');
    const id = captureException(new Error('still reported'));
    expect(await flush(5000)).toBe(true);
    expect(collector.acceptedReports.map((r) => [r.id, r.service.name])).toEqual([[id, 'first']]);
    expect(hasCaptureSink()).toBe(true);
    expect(process.listenerCount('uncaughtException')).toBe(listeners);
  });

  it('installs and removes the process listeners', async () => {
    const before = process.listenerCount('uncaughtException');
    const beforeRejections = process.listenerCount('unhandledRejection');
    init({ endpoint: collector.url, service: 'x', logger: quiet });
    expect(process.listenerCount('uncaughtException')).toBe(before + 1);
    expect(process.listenerCount('unhandledRejection')).toBe(beforeRejections + 1);
    await close(100);
    expect(process.listenerCount('uncaughtException')).toBe(before);
    init({ endpoint: collector.url, service: 'x', logger: quiet, captureUncaught: false, captureUnhandledRejections: false });
    expect(process.listenerCount('uncaughtException')).toBe(before);
    expect(process.listenerCount('unhandledRejection')).toBe(beforeRejections);
  });

  it('sets the groups’ spawnStacks default; a later init without it, and close, set it back to task', async () => {
    const previous = groupDefaults().spawnStacks;
    try {
      init({ endpoint: collector.url, service: 'x', logger: quiet, spawnStacks: 'off' });
      expect(groupDefaults().spawnStacks).toBe('off');
      init({ endpoint: collector.url, service: 'x', logger: quiet });
      expect(groupDefaults().spawnStacks).toBe('task');
      init({ endpoint: collector.url, service: 'x', logger: quiet, spawnStacks: 'group' });
      await close(100);
      expect(groupDefaults().spawnStacks).toBe('task');
    } finally {
      setGroupDefaults({ spawnStacks: previous });
    }
  });

  it('the fifth replaced configuration closes the oldest, whose undelivered reports reach the collector as closed counts', async () => {
    const down = await LoopbackCollector.start();
    down.respond = () => ({ status: 503 });
    try {
      for (let i = 0; i < 5; i++) {
        init({ endpoint: down.url, service: `replaced-${i}`, logger: quiet });
        captureException(new Error(`queued in configuration ${i}`));
      }
      init({ endpoint: collector.url, service: 'current', logger: quiet }); // the fifth replacement
      await vi.waitFor(() => expect(closedCounts()).toBe(1), { timeout: 5000 });
    } finally {
      await close(100);
      await down.close();
    }

    function closedCounts(): number {
      void flush(0);
      return collector.received.reduce((sum, b) => sum + (b.dropped?.closed ?? 0), 0);
    }
  });

  it('a replaced configuration delivers its drop counts too', async () => {
    init({ endpoint: collector.url, service: 'first', logger: quiet, sampleRate: 0 });
    captureException(new Error('sampled out'));
    captureException(new Error('sampled out too'));
    init({ endpoint: collector.url, service: 'second', logger: quiet });
    expect(await flush(5000)).toBe(true);
    const dropped = collector.received.flatMap((b) => (b.dropped ? [b.dropped] : []));
    expect(dropped).toEqual([{ sample_rate: 2 }]);
  });

  it('installs the OpenTelemetry group instrumentation with tracing: true, and removes it on close', async () => {
    init({ endpoint: collector.url, service: 'x', logger: quiet, tracing: true });
    expect(getGroupInstrumentation()).toBeDefined();
    await close(100);
    expect(getGroupInstrumentation()).toBeUndefined();
  });

  it('flush and close resolve true when the SDK is not initialised', async () => {
    expect(await flush()).toBe(true);
    expect(await close()).toBe(true);
  });
});

describe('captureException before init', () => {
  it('is a no-op that returns an id and logs once', async () => {
    const out = await run('before-init');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^ids [0-9a-f]{32} [0-9a-f]{32}$/m);
    expect(out.stderr.match(/before init/g)).toHaveLength(1);
  });
});

/** The resources that keep the fixture's event loop alive once it is done: none may be the SDK's. */
function keptAlive(stdout: string): string[] {
  const line = /^resources (.*)$/m.exec(stdout);
  if (line === null) throw new Error(`no resources line in ${stdout}`);
  return (JSON.parse(line[1]!) as string[]).filter((r) => r === 'Timeout' || r === 'TCPSocketWrap' || r === 'TCPWrap');
}

describe('an initialised SDK never keeps the process alive', () => {
  it('lets an idle process exit', async () => {
    const out = await run('idle', collector.url);
    expect(keptAlive(out.stdout)).toEqual([]);
    expect(out.code).toBe(0);
  });

  it('lets a process exit with a report still waiting for its batch, even if the collector is unreachable', async () => {
    const out = await run('queued');
    expect(keptAlive(out.stdout)).toEqual([]);
    expect(out.code).toBe(0);
  });

  it('lets a process exit after a flush, with its keep-alive connection open', async () => {
    const out = await run('flushed', collector.url);
    expect(out.stdout).toContain('flushed true');
    expect(keptAlive(out.stdout)).toEqual([]);
    expect(out.code).toBe(0);
    expect(collector.acceptedReports.map((r) => r.message)).toEqual(['flushed']);
  });

  it('lets a process exit while a replaced client retries against an unreachable collector', async () => {
    const out = await run('replaced-while-down');
    expect(keptAlive(out.stdout)).toEqual([]);
    expect(out.code).toBe(0);
  });

  it('lets a process exit while a request to a collector that never answers is in flight', async () => {
    collector.respond = () => ({ status: 202, delayMs: 60_000 });
    const out = await run('in-flight', collector.url);
    expect(out.stdout).toContain('flushed false');
    expect(collector.received).toHaveLength(1);
    expect(keptAlive(out.stdout)).toEqual([]);
    expect(out.code).toBe(0);
  });
});
