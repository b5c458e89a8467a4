import { describe, expect, it } from 'vitest';
import { isLoopback, resolveOptions } from '../../src/config/options.js';

describe('resolveOptions', () => {
  it('applies the documented defaults', () => {
    expect(resolveOptions({})).toMatchObject({
      port: 4319,
      host: '127.0.0.1',
      sqlitePath: './data/faultline.db',
      databaseUrl: undefined,
      ingestKeys: [],
      readToken: undefined,
      retentionDays: 30,
      retentionEventsPerIssue: 1000,
      rateLimitPerSecond: 10_000,
      logLevel: 'info',
      sqliteSynchronous: 'normal',
      maxQueuedReports: 50_000,
    });
    expect(resolveOptions({}).uiDir).toMatch(/dashboards\/dist\/$/);
  });

  it.each([
    [{ port: 70000 }, '`port`'],
    [{ port: 1.5 }, '`port`'],
    [{ retentionDays: 0 }, '`retentionDays`'],
    [{ retentionEventsPerIssue: 0 }, '`retentionEventsPerIssue`'],
    [{ rateLimitPerSecond: -1 }, '`rateLimitPerSecond`'],
    [{ logLevel: 'loud' }, '`logLevel`'],
    [{ ingestKeys: ['ok', ''] }, '`ingestKeys`'],
    [{ readToken: '' }, '`readToken`'],
    [{ sqliteSynchronous: 'off' as 'full' }, '`sqliteSynchronous`'],
    [{ readToken: 'two words' }, '`readToken`'],
    [{ readToken: 'secret\n' }, '`readToken`'],
    [{ sentryProjects: ['42=checkout', 'billing'] }, '`sentryProjects`'],
    [{ sentryProjects: ['x=1'] }, '`sentryProjects`'],
    [{ databaseUrl: 'notaurl' }, '`databaseUrl`'],
    [{ databaseUrl: 'mysql://db/faultline' }, '`databaseUrl`'],
  ])('refuses %j naming the option', (options, name) => {
    expect(() => resolveOptions(options)).toThrow(expect.objectContaining({ code: 'FAULTLINE_INVALID_OPTION', message: expect.stringContaining(name) }));
  });

  it.each(['postgres://u:p@db:5432/faultline', 'postgresql://db/faultline?sslmode=require'])('accepts the PostgreSQL URL %s', (url) => {
    expect(resolveOptions({ databaseUrl: url }).databaseUrl).toBe(url);
  });

  it('does not echo a refused database URL, which may hold a password', () => {
    expect(() => resolveOptions({ databaseUrl: 'mysql://root:hunter2@db/x' })).toThrow(/got a mysql: URL$/);
    expect(() => resolveOptions({ databaseUrl: 'hunter2' })).toThrow(/got a value that is not a URL$/);
  });
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
  ])('%s → %s', (host, expected) => expect(isLoopback(host)).toBe(expected));
});
