// A believable day of errors from a small shop's services: what the overview test, the README screenshot
// and a manual look at the UI are seeded with. Deterministic apart from report ids.
import type { Level, Report } from '@faultline/sdk/schema';
import { makeReport } from './reports.js';

interface Kind {
  service: string;
  type: string;
  message: (n: number) => string;
  fn: string;
  file: string;
  level: Level;
  /** Relative frequency. */
  weight: number;
  /** Share of events from staging instead of production. */
  staging: number;
}

export const DEMO_KINDS: readonly Kind[] = [
  { service: 'checkout', type: 'PaymentDeclinedError', message: (n) => `card declined for order o_${1000 + n}`, fn: 'chargeCard', file: 'payments/charge.ts', level: 'error', weight: 40, staging: 0.1 },
  { service: 'checkout', type: 'TimeoutError', message: () => 'inventory reservation timed out after 3000ms', fn: 'reserveStock', file: 'inventory/reserve.ts', level: 'error', weight: 25, staging: 0.2 },
  { service: 'payments', type: 'DeadlineExceededError', message: () => 'deadline exceeded after 5000ms in task capture-payment', fn: 'capturePayment', file: 'capture.ts', level: 'error', weight: 18, staging: 0.1 },
  { service: 'inventory', type: 'TypeError', message: () => "Cannot read properties of undefined (reading 'sku')", fn: 'applyDiscount', file: 'pricing/discount.ts', level: 'error', weight: 15, staging: 0.3 },
  { service: 'auth-gateway', type: 'TokenExpiredError', message: () => 'jwt expired', fn: 'verifySession', file: 'session/verify.ts', level: 'warning', weight: 30, staging: 0.15 },
  { service: 'inventory', type: 'GroupError', message: () => '3 tasks failed in sync-warehouses', fn: 'syncWarehouses', file: 'sync/warehouses.ts', level: 'error', weight: 6, staging: 0 },
  { service: 'payments', type: 'LedgerConflictError', message: (n) => `ledger write conflict on account a_${n % 97}`, fn: 'postLedger', file: 'ledger/post.ts', level: 'warning', weight: 10, staging: 0.2 },
  { service: 'checkout', type: 'RangeError', message: () => 'Maximum call stack size exceeded', fn: 'renderReceipt', file: 'receipts/render.ts', level: 'fatal', weight: 2, staging: 0 },
  { service: 'search', type: 'Error', message: () => 'socket hang up', fn: 'querySearch', file: 'search/query.ts', level: 'info', weight: 8, staging: 0.25 },
  { service: 'notifications', type: 'SmtpError', message: (n) => `550 mailbox unavailable for user${n % 13}@example.com`, fn: 'sendReceipt', file: 'mail/send.ts', level: 'warning', weight: 5, staging: 0.1 },
];

/** A small fast PRNG so the demo's shape is the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `total` reports spread over the `spanHours` before `now`, busier in recent hours, with a burst of timeouts
 * about five hours ago.
 */
export function demoReports(now: number, total = 600, spanHours = 23.9): Report[] {
  const rand = mulberry32(42);
  const weights = DEMO_KINDS.reduce((a, k) => a + k.weight, 0);
  const out: Report[] = [];
  for (let n = 0; n < total; n++) {
    let r = rand() * weights;
    const kind = DEMO_KINDS.find((k) => (r -= k.weight) < 0) ?? DEMO_KINDS[0]!;
    // Hours ago, skewed so recent hours and a mid-day bump carry more events.
    let hoursAgo = Math.pow(rand(), 1.3) * (spanHours - 0.1);
    if (kind.type === 'TimeoutError' && rand() < 0.6) hoursAgo = Math.min(5 + rand() * 0.9, spanHours - 0.1);
    const at = new Date(now - hoursAgo * 3_600_000 - rand() * 60_000 - 1000);
    const errors =
      kind.type === 'GroupError'
        ? ['eu-1', 'us-2', 'ap-1'].map((w) => ({ type: 'SyncError', message: `warehouse ${w} returned 502`, frames: [] }))
        : undefined;
    out.push(
      makeReport({
        service: kind.service,
        environment: rand() < kind.staging ? 'staging' : 'production',
        level: kind.level,
        type: kind.type,
        message: kind.message(n),
        fn: kind.fn,
        file: kind.file,
        at,
        ...(errors ? { errors } : {}),
        tags: { region: rand() < 0.7 ? 'eu-west-1' : 'us-east-1', release: '1.4.2' },
      }),
    );
  }
  return out.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
}
