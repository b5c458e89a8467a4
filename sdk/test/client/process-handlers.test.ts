import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LoopbackCollector } from '../transport/loopback-collector.js';
import { runFixture, type FixtureOutcome } from './run-fixture.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/process-handlers.ts', import.meta.url));

let collector: LoopbackCollector;

beforeAll(async () => {
  collector = await LoopbackCollector.start();
});

afterAll(async () => {
  await collector.close();
});

beforeEach(() => {
  collector.received.length = 0;
  collector.acceptedReports.length = 0;
  collector.accepted.length = 0;
});

function run(scenario: string, nodeFlags: string[] = []): Promise<FixtureOutcome> {
  return runFixture(FIXTURE, { FAULTLINE_ENDPOINT: collector.url, SCENARIO: scenario }, nodeFlags);
}

function fatalReports(): { message: string; type: string; level: string; handled: boolean; mechanism: string }[] {
  return collector.acceptedReports.filter((r) => r.level === 'fatal');
}

describe('process handlers', () => {
  it('captures an uncaught exception at level fatal, delivers it, then prints it and exits with code 1', async () => {
    const out = await run('uncaught');
    expect(out.code).toBe(1);
    expect(fatalReports()).toEqual([
      expect.objectContaining({ message: 'boom uncaught', level: 'fatal', handled: false, mechanism: 'uncaughtException', code: 'E_BOOM' }),
    ]);
    expect(out.stderr).toContain('Error: boom uncaught');
    expect(out.stderr).toContain("code: 'E_BOOM'");
    expect(out.stderr).toContain(`Node.js ${process.version}`);
    expect(out.stdout).toContain('exit event 1');
  });

  it('captures but does not exit when the application has its own uncaughtException listener', async () => {
    const out = await run('uncaught-app-listener');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('app handled boom handled by app');
    expect(fatalReports()).toEqual([expect.objectContaining({ message: 'boom handled by app', mechanism: 'uncaughtException' })]);
  });

  it('leaves uncaught exceptions to Node with captureUncaught: false', async () => {
    const out = await run('uncaught-not-captured');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('boom uncaught');
    expect(fatalReports()).toEqual([]);
  });

  it('treats an unhandled rejection as uncaught in the default (throw) mode: fatal report, then exit code 1', async () => {
    const out = await run('rejection');
    expect(out.code).toBe(1);
    expect(fatalReports()).toEqual([
      expect.objectContaining({ message: 'boom rejection', level: 'fatal', handled: false, mechanism: 'unhandledRejection' }),
    ]);
    expect(out.stderr).toContain('Error: boom rejection');
  });

  it('wraps a rejection reason that is not an Error as Node does, and reports the reason', async () => {
    const out = await run('rejection-string');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('ERR_UNHANDLED_REJECTION');
    expect(out.stderr).toContain('plain reason');
    expect(fatalReports()).toEqual([expect.objectContaining({ type: 'NonError', message: 'plain reason', mechanism: 'unhandledRejection' })]);
  });

  it('captures and exits once in --unhandled-rejections=strict mode', async () => {
    const out = await run('rejection', ['--unhandled-rejections=strict']);
    expect(out.code).toBe(1);
    expect(fatalReports()).toEqual([expect.objectContaining({ message: 'boom rejection', mechanism: 'unhandledRejection' })]);
  });

  it('captures and carries on in --unhandled-rejections=warn mode (Node prints its warning)', async () => {
    const out = await run('rejection', ['--unhandled-rejections=warn']);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('UnhandledPromiseRejectionWarning');
    expect(fatalReports()).toEqual([expect.objectContaining({ message: 'boom rejection', mechanism: 'unhandledRejection' })]);
  });

  it('captures and carries on silently in --unhandled-rejections=none mode', async () => {
    const out = await run('rejection', ['--unhandled-rejections=none']);
    expect(out.code).toBe(0);
    expect(out.stderr).not.toContain('boom rejection');
    expect(fatalReports()).toEqual([expect.objectContaining({ message: 'boom rejection' })]);
  });

  it('warns and sets exit code 1 in --unhandled-rejections=warn-with-error-code mode', async () => {
    const out = await run('rejection', ['--unhandled-rejections=warn-with-error-code']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('UnhandledPromiseRejectionWarning');
    expect(out.stdout).toContain('exit event 1');
    expect(fatalReports()).toEqual([expect.objectContaining({ message: 'boom rejection' })]);
  });

  it('captures but does not exit when the application has its own unhandledRejection listener', async () => {
    const out = await run('rejection-app-listener');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('app saw boom rejection seen by app');
    expect(fatalReports()).toEqual([expect.objectContaining({ message: 'boom rejection seen by app' })]);
  });

  it('reports the same value failing again later as a new failure (only a pair in one go is one failure)', async () => {
    const out = await run('repeated-failures');
    expect(out.code).toBe(0);
    const seen = fatalReports().map((r) => `${r.mechanism}:${r.message}`);
    const once = ['unhandledRejection:timeout', 'unhandledRejection:shared abort error', 'uncaughtException:fatal-string'];
    expect(seen.sort()).toEqual([...once, ...once].sort());
  });

  it("hands the rejection to the application's uncaughtException listener, as Node does in throw mode", async () => {
    const out = await run('rejection-app-uncaught-listener');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('app handled boom rejection to uncaught listener from unhandledRejection');
    expect(fatalReports()).toHaveLength(1);
  });
});
