import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startCollector } from '../src/start-collector.js';
import { makeReport } from './helpers/reports.js';

const base = { port: 0, sqlitePath: ':memory:', logLevel: 'silent', retentionIntervalMs: 0, uiDir: '/nonexistent' } as const;

describe('startCollector', () => {
  it('listens on 127.0.0.1 and serves ingest and the API over a real port', async () => {
    const collector = await startCollector(base);
    expect(collector.url).toBe(`http://127.0.0.1:${collector.port}`);
    const res = await fetch(`${collector.url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reports: [makeReport()] }),
    });
    expect(res.status).toBe(202);
    const issues = (await (await fetch(`${collector.url}/api/issues`)).json()) as { issues: unknown[] };
    expect(issues.issues).toHaveLength(1);
    expect(collector.store.kind).toBe('sqlite');
    await collector.close();
    await expect(fetch(`${collector.url}/healthz`)).rejects.toThrow();
  });

  it.each([
    [{}, /without ingest keys .* and a read token/],
    [{ ingestKeys: ['k'] }, /without a read token/],
    [{ readToken: 't' }, /without ingest keys/],
  ])('refuses to listen on a non-loopback address with %j', async (security, message) => {
    await expect(startCollector({ ...base, host: '0.0.0.0', ...security })).rejects.toMatchObject({ code: 'FAULTLINE_INSECURE_BIND', message: expect.stringMatching(message) });
  });

  it('rejects (never hangs) on a bad sentryProjects entry, naming the option', async () => {
    await expect(startCollector({ ...base, sentryProjects: ['x=1'] })).rejects.toMatchObject({
      code: 'FAULTLINE_INVALID_OPTION',
      message: expect.stringContaining('`sentryProjects`'),
    });
  });

  it('listens on the bracketed IPv6 loopback [::1], keeping the brackets in its url', async () => {
    const collector = await startCollector({ ...base, host: '[::1]' });
    expect(collector.url).toBe(`http://[::1]:${collector.port}`);
    expect((await fetch(`${collector.url}/healthz`)).status).toBe(200);
    await collector.close();
  });

  it('starts on a non-loopback address with ingest keys and a read token', async () => {
    const collector = await startCollector({ ...base, host: '0.0.0.0', ingestKeys: ['k'], readToken: 't' });
    expect(collector.port).toBeGreaterThan(0);
    await collector.close();
  });

  it('says in its log when it runs open on loopback', async () => {
    const lines: string[] = [];
    const collector = await startCollector({ ...base, logLevel: 'info', logStream: new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) }) });
    await collector.close();
    expect(lines.join('')).toMatch(/no ingest keys configured: POST \/v1\/reports is open/);
    expect(lines.join('')).toMatch(/no read token configured: \/api is open/);
  });
});
