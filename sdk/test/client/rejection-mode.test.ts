import { describe, expect, it } from 'vitest';
import { unhandledRejectionsMode } from '../../src/client/rejection-mode.js';

describe('unhandledRejectionsMode', () => {
  it("is 'throw' when nothing sets it", () => {
    expect(unhandledRejectionsMode([], undefined)).toBe('throw');
  });

  it.each(['throw', 'strict', 'warn', 'none', 'warn-with-error-code'] as const)('reads --unhandled-rejections=%s', (mode) => {
    expect(unhandledRejectionsMode([`--unhandled-rejections=${mode}`], undefined)).toBe(mode);
    expect(unhandledRejectionsMode(['--unhandled-rejections', mode], undefined)).toBe(mode);
  });

  it('reads NODE_OPTIONS, and lets the command line win', () => {
    expect(unhandledRejectionsMode([], '--max-old-space-size=100 --unhandled-rejections=warn')).toBe('warn');
    expect(unhandledRejectionsMode(['--unhandled-rejections=none'], '--unhandled-rejections=warn')).toBe('none');
  });

  it('takes the last of several flags and ignores unknown values', () => {
    expect(unhandledRejectionsMode(['--unhandled-rejections=warn', '--unhandled-rejections=strict'], undefined)).toBe('strict');
    expect(unhandledRejectionsMode(['--unhandled-rejections=bogus'], undefined)).toBe('throw');
  });
});
