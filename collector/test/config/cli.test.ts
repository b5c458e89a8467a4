import { describe, expect, it } from 'vitest';
import { HELP, SETTINGS, parseCli } from '../../src/config/cli.js';

describe('parseCli', () => {
  it('reads every setting from its flag', () => {
    const result = parseCli(
      [
        '--port=0', '--host', '::1', '--sqlite-path', '/tmp/f.db', '--sqlite-synchronous', 'full', '--database-url', 'postgres://x/y',
        '--ingest-keys', 'a, b,,c', '--read-token', 't', '--retention-days', '7', '--retention-events-per-issue', '50',
        '--rate-limit', '500', '--max-queued-reports', '9', '--log-level', 'debug', '--ui-dir', '/ui',
      ],
      {},
    );
    expect(result).toEqual({
      kind: 'run',
      options: {
        port: 0, host: '::1', sqlitePath: '/tmp/f.db', sqliteSynchronous: 'full', databaseUrl: 'postgres://x/y', ingestKeys: ['a', 'b', 'c'],
        readToken: 't', retentionDays: 7, retentionEventsPerIssue: 50, rateLimitPerSecond: 500, maxQueuedReports: 9, logLevel: 'debug', uiDir: '/ui',
      },
    });
  });

  it('reads settings from the environment, a flag winning over it', () => {
    const result = parseCli(['--port', '5000'], {
      FAULTLINE_PORT: '6000',
      DATABASE_URL: 'postgres://db/x',
      FAULTLINE_INGEST_KEYS: 'k1,k2',
      FAULTLINE_READ_TOKEN: 'rt',
      FAULTLINE_RETENTION_DAYS: '3',
    });
    expect(result).toEqual({
      kind: 'run',
      options: { port: 5000, databaseUrl: 'postgres://db/x', ingestKeys: ['k1', 'k2'], readToken: 'rt', retentionDays: 3 },
    });
  });

  it('refuses unknown flags and non-numbers, naming them', () => {
    expect(() => parseCli(['--prot', '1'], {})).toThrow(/--prot/);
    expect(() => parseCli(['--port', 'http'], {})).toThrow(/--port to be a number/);
    expect(() => parseCli([], { FAULTLINE_RETENTION_DAYS: 'week' })).toThrow(/FAULTLINE_RETENTION_DAYS to be a number/);
  });

  it('documents every setting with its flag and environment variable in --help', () => {
    expect(parseCli(['--help'], {})).toEqual({ kind: 'help' });
    for (const s of SETTINGS) {
      expect(HELP).toContain(`--${s.flag}`);
      for (const e of s.env) expect(HELP).toContain(e);
    }
  });
});
