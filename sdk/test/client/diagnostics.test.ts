import { describe, expect, it, vi } from 'vitest';
import { defaultLogger, Diagnostics, SDK_DIAGNOSTIC } from '../../src/client/diagnostics.js';

describe('Diagnostics', () => {
  it('warns about each kind of fault once', () => {
    const warn = vi.fn();
    const d = new Diagnostics({ warn, debug: () => undefined });
    d.warnOnce('http_401', { status: 401 }, 'refused');
    d.warnOnce('http_401', { status: 401 }, 'refused');
    d.warnOnce('http_400', { status: 400 }, 'bad');
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ status: 401, [SDK_DIAGNOSTIC]: true }), 'refused');
  });

  it('never throws, even through a broken logger', () => {
    const d = new Diagnostics({
      warn: () => {
        throw new Error('logger broke');
      },
      debug: () => {
        throw new Error('logger broke');
      },
    });
    expect(() => d.warn({}, 'x')).not.toThrow();
    expect(() => d.debug({}, 'x')).not.toThrow();
  });
});

describe('defaultLogger', () => {
  it('is a pino logger that is silent apart from warnings', () => {
    const logger = defaultLogger();
    expect(logger.level).toBe('warn');
    expect(logger.isLevelEnabled('info')).toBe(false);
    expect(logger.isLevelEnabled('warn')).toBe(true);
    expect(logger.bindings()).toEqual({ name: 'faultline' });
  });
});
