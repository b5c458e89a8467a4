import { describe, expect, it } from 'vitest';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { BatchSchema, ReportSchema } from '@faultline/sdk/schema';

describe('report schema', () => {
  it('is a JSON Schema object with the schema-1 id', () => {
    expect(ReportSchema.$id).toBe('https://faultline.dev/schema/report-1.json');
    expect(ReportSchema.type).toBe('object');
    expect(ReportSchema.required).toEqual(expect.arrayContaining(['schema', 'id', 'timestamp', 'level', 'message']));
  });
});

describe('batch schema', () => {
  const check = TypeCompiler.Compile(BatchSchema);

  it('takes dropped counts as exact non-negative integers by reason', () => {
    expect(check.Check({ reports: [], dropped: { queue_overflow: 12, sample_rate: Number.MAX_SAFE_INTEGER } })).toBe(true);
  });

  it.each([
    ['a count past the exact integers', { queue_full: 1e300 }],
    ['a negative count', { queue_full: -1 }],
    ['more than 256 reasons', Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`reason_${i}`, 1]))],
  ])('refuses %s', (_name, dropped) => {
    expect(check.Check({ reports: [], dropped })).toBe(false);
  });
});
