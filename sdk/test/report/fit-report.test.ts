import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build-report.js';
import { serializeReport } from '../../src/report/fit-report.js';
import { LIMITS } from '../../src/report/limits.js';
import { reportOrigin } from '../../src/report/origin.js';
import { ReportSchema, type Report } from '../../src/report/schema.js';

const origin = reportOrigin({ service: 'fit' });

/** An error whose stack has 100 frames with long paths: about 30 KiB of frames once parsed. */
function bulkyError(message: string, cause?: unknown): Error {
  const e = new Error(message, { cause });
  const lines = Array.from({ length: 100 }, (_, i) => `    at fn${i}${'x'.repeat(200)} (/srv/${'dir/'.repeat(60)}file${i}.js:${i + 1}:1)`);
  e.stack = `Error: ${message}\n${lines.join('\n')}`;
  return e;
}

function bigReport(): Report {
  let cause: unknown;
  for (let i = 0; i < 5; i++) cause = bulkyError(`cause ${i} ${'c'.repeat(8000)}`, cause);
  const members = Array.from({ length: 32 }, (_, i) => bulkyError(`member ${i} ${'m'.repeat(8000)}`));
  const error = new AggregateError(members, 'main failure', { cause });
  error.stack = bulkyError('main failure').stack;
  return buildReport({ error, level: 'error', handled: true, mechanism: 'captureException' }, origin);
}

function parse(result: ReturnType<typeof serializeReport>): Report {
  if (!('json' in result)) throw new Error(`not serialized: ${result.drop}`);
  return JSON.parse(result.json) as Report;
}

describe('serializeReport', () => {
  it('serializes a report within the limit as it is', () => {
    const r = buildReport({ error: new Error('small'), level: 'error', handled: true, mechanism: 'captureException' }, origin);
    expect(parse(serializeReport(r))).toEqual(r);
  });

  it(`keeps every report within ${LIMITS.reportBytes / 1024} KiB, trimming aggregated errors and causes first`, () => {
    const r = bigReport();
    expect(Buffer.byteLength(JSON.stringify(r))).toBeGreaterThan(LIMITS.reportBytes);
    const result = serializeReport(r);
    if (!('json' in result)) throw new Error('dropped');
    expect(Buffer.byteLength(result.json)).toBeLessThanOrEqual(LIMITS.reportBytes);
    const fitted = JSON.parse(result.json) as Report;
    expect(Value.Check(ReportSchema, fitted)).toBe(true);
    expect(fitted.errors?.length ?? 0).toBeLessThan(32);
    // The error's own detail is what survives.
    expect(fitted.message).toBe('main failure');
    expect(fitted.frames).toHaveLength(100);
    expect(fitted.stack).toBeDefined();
  });

  it('trims aggregated errors before causes', () => {
    const r = bigReport();
    const fitted = parse(serializeReport(r, 400 * 1024));
    expect(fitted.causes).toHaveLength(5);
    expect(fitted.errors?.length ?? 0).toBeLessThan(32);
  });

  it('keeps shrinking past causes when the context is what is too large', () => {
    const r = buildReport(
      { error: bulkyError('ctx'), level: 'error', handled: true, mechanism: 'captureException', scope: { tags: {}, extra: { a: 'x'.repeat(20_000) }, user: { b: 'y'.repeat(20_000) } } },
      origin,
    );
    const fitted = parse(serializeReport(r, 40 * 1024));
    expect(Buffer.byteLength(JSON.stringify(fitted))).toBeLessThanOrEqual(40 * 1024);
    expect(fitted.context.extra).toEqual({ '…[truncated]': true });
  });

  it("says 'too_large' when even the smallest form does not fit", () => {
    expect(serializeReport(bigReport(), 200)).toEqual({ drop: 'too_large' });
  });

  it("says 'invalid' when the report cannot be serialized", () => {
    const r = buildReport({ error: new Error('x'), level: 'error', handled: true, mechanism: 'captureException' }, origin);
    (r.context as { extra?: unknown }).extra = { n: 1n };
    expect(serializeReport(r)).toEqual({ drop: 'invalid' });
  });
});
