import { describe, expect, it } from 'vitest';
import { ReportSchema } from '@faultline/sdk/schema';

describe('report schema', () => {
  it('is a JSON Schema object with the schema-1 id', () => {
    expect(ReportSchema.$id).toBe('https://faultline.dev/schema/report-1.json');
    expect(ReportSchema.type).toBe('object');
    expect(ReportSchema.required).toEqual(expect.arrayContaining(['schema', 'id', 'timestamp', 'level', 'message']));
  });
});
