import { describe, expect, it } from 'vitest';
import { resolveOptions, type InitOptions } from '../../src/client/options.js';

const base: InitOptions = { endpoint: 'http://127.0.0.1:4319', service: 'svc' };

describe('resolveOptions', () => {
  it('applies the defaults', () => {
    expect(resolveOptions(base)).toEqual({
      endpoint: 'http://127.0.0.1:4319',
      service: 'svc',
      sampleRate: 1,
      maxQueue: 1000,
      shutdownTimeoutMs: 2000,
      captureUncaught: true,
      captureUnhandledRejections: true,
      tracing: false,
    });
  });

  it('keeps every given option', () => {
    const beforeSend = () => null;
    const logger = { warn: () => undefined, debug: () => undefined };
    const o = resolveOptions({
      ...base,
      apiKey: 'k',
      environment: 'prod',
      release: '1.0.0',
      sampleRate: 0.25,
      beforeSend,
      captureUncaught: false,
      captureUnhandledRejections: false,
      shutdownTimeoutMs: 500,
      maxQueue: 10,
      logger,
      tracing: true,
      spawnStacks: 'group',
    });
    expect(o).toMatchObject({ apiKey: 'k', environment: 'prod', release: '1.0.0', sampleRate: 0.25, maxQueue: 10, tracing: true, spawnStacks: 'group' });
    expect(o.beforeSend).toBe(beforeSend);
    expect(o.logger).toBe(logger);
  });

  it.each<[string, Record<string, unknown>]>([
    ['endpoint', { endpoint: undefined }],
    ['endpoint', { endpoint: 'not a url' }],
    ['endpoint', { endpoint: 'ftp://example.com' }],
    ['service', { service: '' }],
    ['service', { service: 42 }],
    ['sampleRate', { sampleRate: 1.5 }],
    ['sampleRate', { sampleRate: -0.1 }],
    ['sampleRate', { sampleRate: NaN }],
    ['beforeSend', { beforeSend: 'yes' }],
    ['maxQueue', { maxQueue: 0 }],
    ['maxQueue', { maxQueue: 2.5 }],
    ['maxQueue', { maxQueue: 2 ** 32 }],
    ['shutdownTimeoutMs', { shutdownTimeoutMs: -1 }],
    ['shutdownTimeoutMs', { shutdownTimeoutMs: 3e9 }],
    ['shutdownTimeoutMs', { shutdownTimeoutMs: Infinity }],
    ['logger', { logger: {} }],
    ['logger', { logger: console.log }],
    ['spawnStacks', { spawnStacks: 'all' }],
    ['apiKey', { apiKey: 5 }],
    ['captureUncaught', { captureUncaught: 'no' }],
    ['tracing', { tracing: 1 }],
  ])('throws a TypeError naming `%s` when it is wrong', (name, patch) => {
    expect(() => resolveOptions({ ...base, ...patch })).toThrow(TypeError);
    expect(() => resolveOptions({ ...base, ...patch })).toThrow(`\`${name}\``);
  });

  it.each([['secret-key\n'], ['secret\r\nX-Injected: 1'], ['secret\u0000']])(
    'throws a TypeError naming `apiKey`, without showing it, when Node would refuse it in a header (%j)',
    (apiKey) => {
      expect(() => resolveOptions({ ...base, apiKey })).toThrow(/`apiKey` must be valid in an HTTP header/);
      expect(() => resolveOptions({ ...base, apiKey })).not.toThrow(/secret/);
    },
  );

  it.each<[string, Record<string, unknown>, string]>([
    ['maxQueue', { maxQueue: 1_000_001 }, '1000000'],
    ['shutdownTimeoutMs', { shutdownTimeoutMs: 2 ** 31 }, '2147483647'],
  ])('names the upper limit of `%s` in its TypeError', (name, patch, limit) => {
    expect(() => resolveOptions({ ...base, ...patch })).toThrow(`\`${name}\` must be`);
    expect(() => resolveOptions({ ...base, ...patch })).toThrow(` to ${limit}`);
    expect(resolveOptions({ ...base, [name]: Number(limit) })[name as 'maxQueue']).toBe(Number(limit));
  });

  it('throws a TypeError when the options are not an object', () => {
    expect(() => resolveOptions(undefined as unknown as InitOptions)).toThrow(TypeError);
  });
});
