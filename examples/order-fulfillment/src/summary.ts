import type { OrderOutcome } from './fulfil-order.js';

/** The counts the demo prints. `ok + degraded + failed = orders`; `compensated` counts failed orders only. */
export interface Summary {
  readonly orders: number;
  readonly ok: number;
  readonly degraded: number;
  readonly failed: number;
  /** Failed orders that had succeeded calls undone. */
  readonly compensated: number;
  /** Compensations that failed themselves. */
  readonly compensationFailures: number;
}

export function summarize(outcomes: readonly OrderOutcome[]): Summary {
  const count = (test: (o: OrderOutcome) => boolean): number => outcomes.filter(test).length;
  return {
    orders: outcomes.length,
    ok: count((o) => o.status === 'ok'),
    degraded: count((o) => o.status === 'degraded'),
    failed: count((o) => o.status === 'failed'),
    compensated: count((o) => o.status === 'failed' && o.rolledBack.length > 0),
    compensationFailures: outcomes.reduce((n, o) => n + o.compensationFailures, 0),
  };
}

/** Reports handed to the transport, by level. */
export type ReportCounts = Readonly<Record<string, number>>;

export function formatSummary(summary: Summary, reports: ReportCounts, seconds: number): string {
  const row = (label: string, value: number, note: string): string => `  ${label.padEnd(14)}${String(value).padStart(5)}   ${note}`;
  const total = Object.values(reports).reduce((a, b) => a + b, 0);
  const levels = Object.entries(reports)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([level, n]) => `${level} ${n}`)
    .join(', ');
  return [
    `${summary.orders} orders in ${seconds.toFixed(1)} s`,
    row('ok', summary.ok, 'every call succeeded'),
    row('degraded', summary.degraded, 'a coupons or points call failed: the order went on (reported as warnings)'),
    row('failed', summary.failed, 'an inventory or risk call failed (reported as errors)'),
    row('compensated', summary.compensated, 'failed orders whose succeeded calls were undone, last first'),
    row('undo failed', summary.compensationFailures, 'compensations that failed themselves (reported as errors)'),
    row('reports', total, total === 0 ? '' : `(${levels})`),
  ].join('\n');
}

/** A few failed orders, to show what was undone and in which order. */
export function formatExamples(outcomes: readonly OrderOutcome[], max = 3): string[] {
  return outcomes
    .filter((o) => o.status === 'failed' && o.rolledBack.length > 0)
    .sort((a, b) => a.order.localeCompare(b.order))
    .slice(0, max)
    .map((o) => `  ${o.order} failed (${o.failure ?? 'unknown'}); undone: ${o.rolledBack.join(', ')}`);
}
