import { LIMITS, TRUNCATION_MARKER } from '@faultline/sdk/schema';
import { describe, expect, it } from 'vitest';
import { boundContext, boundFingerprint, boundTags, toLevel, toRfc3339 } from '../../src/interop/report-fields.js';

describe('report fields of converted reports', () => {
  it('boundTags stringifies values, skips nulls, and caps count, key and value lengths', () => {
    expect(boundTags([['a', 1], ['b', true], ['c', null], ['d', { x: 1 }], ['e', 'v']])).toEqual({ a: '1', b: 'true', d: '{"x":1}', e: 'v' });
    const many = boundTags(Array.from({ length: 150 }, (_, i) => [`${i}${'k'.repeat(100)}`, 'v'.repeat(300)] as const));
    expect(Object.keys(many)).toHaveLength(LIMITS.tags);
    expect(Object.keys(many).every((k) => k.length <= LIMITS.tagKeyChars)).toBe(true);
    expect(Object.values(many)[0]!.endsWith(TRUNCATION_MARKER)).toBe(true);
  });

  it('boundContext keeps a context part within the depth and size a report allows, redacting secrets', () => {
    const out = boundContext({ password: 'p', deep: { a: { b: { c: { d: { e: 1 } } } } }, big: 'x'.repeat(40_000) })!;
    expect(out.password).toBe('[redacted]');
    expect(JSON.stringify(out.deep)).toContain('[Object]');
    expect(Buffer.byteLength(JSON.stringify(out))).toBeLessThanOrEqual(LIMITS.contextBytes);
    expect(boundContext(undefined)).toBeUndefined();
    expect(boundContext({})).toBeUndefined();
  });

  it('boundFingerprint normalizes {{ default }} and drops an empty override', () => {
    expect(boundFingerprint(['{{ default }}', '{{default}}', '{{  DEFAULT }}', 'x'])).toEqual(['{{ default }}', '{{ default }}', '{{ default }}', 'x']);
    expect(boundFingerprint([])).toBeUndefined();
    expect(boundFingerprint('x')).toBeUndefined();
    expect(boundFingerprint(Array.from({ length: 30 }, (_, i) => i))).toHaveLength(LIMITS.fingerprintParts);
  });

  it('toRfc3339 falls back to the receive time for dates an RFC 3339 timestamp cannot write', () => {
    expect(toRfc3339(1e12, 0)).toBe('1970-01-01T00:00:00.000Z');
    expect(toRfc3339(-1e12, 0)).toBe('1970-01-01T00:00:00.000Z');
    expect(toRfc3339(NaN, 5)).toBe('1970-01-01T00:00:00.005Z');
  });

  it('toLevel maps other protocols\' levels onto fatal, error, warning, info', () => {
    expect(['critical', 'error', 'warn', 'log', 'debug', 'trace', 'x'].map((l) => toLevel(l, 'error'))).toEqual(['fatal', 'error', 'warning', 'info', 'info', 'info', 'error']);
  });
});
