import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getGroupInstrumentation } from '../../src/capture/instrumentation.js';
import { captureFailure, hasCaptureSink } from '../../src/capture/sink.js';
import { groupDefaults, setGroupDefaults } from '../../src/group/defaults.js';
import { captureException, close, flush, init } from '../../src/index.js';
import { LoopbackCollector } from '../transport/loopback-collector.js';
import { runFixture, type FixtureOutcome } from './run-fixture.js';

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

  it('sets the groups’ spawnStacks default', async () => {
    const previous = groupDefaults().spawnStacks;
    try {
      init({ endpoint: collector.url, service: 'x', logger: quiet, spawnStacks: 'off' });
      expect(groupDefaults().spawnStacks).toBe('off');
    } finally {
      setGroupDefaults({ spawnStacks: previous });
    }
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

  it('lets a process exit while a request to a collector that never answers is in flight', async () => {
    collector.respond = () => ({ status: 202, delayMs: 60_000 });
    const out = await run('in-flight', collector.url);
    expect(out.stdout).toContain('flushed false');
    expect(collector.received).toHaveLength(1);
    expect(keptAlive(out.stdout)).toEqual([]);
    expect(out.code).toBe(0);
  });
});
