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
  ])('refuses %j naming the option', (options, name) => {
    expect(() => resolveOptions(options)).toThrow(expect.objectContaining({ code: 'FAULTLINE_INVALID_OPTION', message: expect.stringContaining(name) }));
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
