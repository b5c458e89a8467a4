import { describe, expect, it } from 'vitest';
import type { OrderOutcome } from '../src/fulfil-order.js';
import { formatExamples, formatSummary, summarize } from '../src/summary.js';

const outcomes: OrderOutcome[] = [
  { order: 'ORD-00001', status: 'ok', rolledBack: [], compensationFailures: 0 },
  { order: 'ORD-00002', status: 'degraded', rolledBack: [], compensationFailures: 0 },
  { order: 'ORD-00004', status: 'failed', failure: 'RiskDeclinedError: no', rolledBack: ['points', 'inventory'], compensationFailures: 1 },
  { order: 'ORD-00003', status: 'failed', failure: 'OutOfStockError: none', rolledBack: ['coupons'], compensationFailures: 0 },
  { order: 'ORD-00005', status: 'failed', failure: 'OutOfStockError: none', rolledBack: [], compensationFailures: 0 },
];

describe('summarize', () => {
  it('counts each outcome once; compensated counts failed orders with undone calls', () => {
    expect(summarize(outcomes)).toEqual({ orders: 5, ok: 1, degraded: 1, failed: 3, compensated: 2, compensationFailures: 1 });
  });
});

describe('formatSummary', () => {
  it('prints one row per count and the reports by level', () => {
    const text = formatSummary(summarize(outcomes), { warning: 2, error: 4 }, 1.23);
    expect(text.split('\n')[0]).toBe('5 orders in 1.2 s');
    for (const [label, n] of [['ok', 1], ['degraded', 1], ['failed', 3], ['compensated', 2], ['undo failed', 1], ['reports', 6]] as const) {
      expect(text).toMatch(new RegExp(`^  ${label} +${n} `, 'm'));
    }
    expect(text).toContain('(error 4, warning 2)');
  });
});

describe('formatExamples', () => {
  it('shows failed orders with what was undone, in order of order id', () => {
    expect(formatExamples(outcomes)).toEqual([
      '  ORD-00003 failed (OutOfStockError: none); undone: coupons',
      '  ORD-00004 failed (RiskDeclinedError: no); undone: points, inventory',
    ]);
  });
});
