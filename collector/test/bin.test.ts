import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/storage/sqlite-store.js';
import { postBatch, runCollector, spawnCollector } from './helpers/child-collector.js';
import { makeReport } from './helpers/reports.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function missingIds(file: string, ids: string[]): Promise<string[]> {
  const store = SqliteStore.open(file);
  try {
    const missing: string[] = [];
    for (const id of ids) if ((await store.getEvent(id)) === undefined) missing.push(id);
    return missing;
  } finally {
    await store.close();
  }
}

/** Sends batches from `workers` loops until stopped; remembers the ids of every batch answered 202. */
function load(url: string, workers: number, batchSize: number) {
  const acknowledged: string[] = [];
  let running = true;
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const batch = Array.from({ length: batchSize }, () => makeReport());
      const status = await postBatch(url, batch);
      if (status === 202) acknowledged.push(...batch.map((r) => r.id));
      else if (status === 0 || status === 503) break;
    }
  });
  return {
    acknowledged,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

const waitFor = async (predicate: () => boolean) => {
  while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('faultline-collector (bin)', () => {
  it('prints every flag with --help and exits 0', async () => {
    const { code, stdout } = await runCollector(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--ingest-keys');
    expect(stdout).toContain('FAULTLINE_READ_TOKEN');
  });

  it('exits 2 naming an unknown flag, and 1 when refusing an open non-loopback address', async () => {
    const unknown = await runCollector(['--colour', 'red']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("'--colour'");
    const open = await runCollector(['--host', '0.0.0.0', '--sqlite-path', join(dir, 'refused.db')]);
    expect(open.code).toBe(1);
    expect(open.stderr).toContain('Refusing to listen on 0.0.0.0');
  });

  it('prints a bad --sentry-projects entry in one line and exits 1, instead of crashing', async () => {
    const { code, stderr } = await runCollector(['--port', '0', '--sqlite-path', join(dir, 'sentry.db'), '--sentry-projects', '42=checkout,billing']);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^faultline-collector: Expected `sentryProjects` entries .*got "billing"$/)]);
  });

  describe('names the flag at fault in one line, without a stack, when startup fails', () => {
    const busy = createServer();
    const plainFile = join(dir, 'plain-file');
    beforeAll(async () => {
      writeFileSync(plainFile, 'not a database, long enough to be read as a header by SQLite: '.repeat(4));
      await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));
    const busyPort = (): string => String((busy.address() as AddressInfo).port);
    const secured = { FAULTLINE_INGEST_KEYS: 'k', FAULTLINE_READ_TOKEN: 't' };
    // Arguments and messages are functions: the busy port is known only once the tests run.
    const cases: [string, () => string[], Record<string, string>, () => string][] = [
      ['a port in use', () => ['--port', busyPort(), '--sqlite-path', join(dir, 'busy.db')], {}, () => `--port ${busyPort()} on 127.0.0.1: address already in use`],
      ['a host that does not resolve', () => ['--port', '0', '--host', 'no-such-host.invalid', '--sqlite-path', join(dir, 'host.db')], secured, () => '--host no-such-host.invalid: host not found'],
      ['a SQLite path under a file', () => ['--port', '0', '--sqlite-path', join(plainFile, 'x.db')], {}, () => `--sqlite-path ${join(plainFile, 'x.db')}: a parent of the file is not a directory`],
      ['a SQLite path that is not a database', () => ['--port', '0', '--sqlite-path', plainFile], {}, () => `--sqlite-path ${plainFile}: not a SQLite database`],
      ['a database URL that is not a PostgreSQL URL', () => ['--port', '0', '--database-url', 'notaurl'], {}, () => 'Expected `databaseUrl` to be a PostgreSQL URL'],
    ];

    it.each(cases)('%s', async (_name, args, env, message) => {
      const { code, stderr } = await runCollector(args(), env);
      expect(code).toBe(1);
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`faultline-collector: ${message()}`);
    });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('on %s stops intake, finishes writes, closes the store and exits 0', async (signal) => {
    const file = join(dir, `${signal}.db`);
    const collector = await spawnCollector(['--sqlite-path', file]);
    expect(collector.lines.join('\n')).toContain('no ingest keys configured');
    const traffic = load(collector.url, 4, 20);
    await waitFor(() => traffic.acknowledged.length >= 200);
    collector.child.kill(signal);
    const exit = await collector.exited;
    await traffic.stop();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(collector.lines.join('\n')).toContain('"msg":"stopped"');
    expect(await missingIds(file, traffic.acknowledged)).toEqual([]);
  });

  it('exits 0 on SIGTERM even when the reader of its stdout has gone (a supervisor that died)', async () => {
    const file = join(dir, 'orphan.db');
    const collector = await spawnCollector(['--sqlite-path', file]);
    expect(await postBatch(collector.url, [makeReport()])).toBe(202);
    // Our end of its stdout closes: its next log line ('stopping') meets EPIPE.
    collector.child.stdout!.destroy();
    collector.child.kill('SIGTERM');
    expect(await collector.exited).toEqual({ code: 0, signal: null });
  });

  it('loses no acknowledged report when killed with SIGKILL during a load', async () => {
    const file = join(dir, 'sigkill.db');
    const collector = await spawnCollector(['--sqlite-path', file]);
    const traffic = load(collector.url, 8, 25);
    await waitFor(() => traffic.acknowledged.length >= 2000);
    collector.child.kill('SIGKILL');
    expect((await collector.exited).signal).toBe('SIGKILL');
    await traffic.stop();
    const acknowledged = [...traffic.acknowledged];
    expect(acknowledged.length).toBeGreaterThanOrEqual(2000);

    const restarted = await spawnCollector(['--sqlite-path', file]);
    try {
      expect(await missingIds(file, acknowledged)).toEqual([]);
      const sample = acknowledged[acknowledged.length - 1]!;
      expect((await fetch(`${restarted.url}/api/events/${sample}`)).status).toBe(200);
    } finally {
      restarted.child.kill('SIGTERM');
      await restarted.exited;
    }
  });
});
