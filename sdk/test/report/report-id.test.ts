import { describe, expect, it } from 'vitest';
import { newReportId } from '../../src/report/report-id.js';

describe('newReportId', () => {
  it('is 32 lowercase hex characters', () => {
    for (let i = 0; i < 1000; i++) expect(newReportId()).toMatch(/^[0-9a-f]{32}$/);
  });

  it('does not repeat (across refills of its random pool)', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newReportId()));
    expect(ids.size).toBe(10_000);
  });
});
