// Fills a Store with a large, realistic history straight through `writeEvents` (no HTTP, no validation):
// how the UI benchmark gets 1,000,000 events in 5,000 issues in well under a minute.
import { randomBytes } from 'node:crypto';
import type { PreparedEvent, Store } from '@faultline/collector';

export interface SeedOptions {
  events: number;
  issues: number;
  /** Events are spread over this many days before `now`, evenly in time. */
  days: number;
  now: number;
  /** Events per transaction. */
  batch?: number;
}

const SERVICES = ['checkout', 'payments', 'inventory', 'auth-gateway', 'search', 'notifications', 'catalog', 'shipping'];
const TYPES = ['TypeError', 'TimeoutError', 'DeadlineExceededError', 'PaymentDeclinedError', 'ECONNRESET', 'ValidationError', 'RangeError', 'GroupError'];
const LEVELS = ['error', 'error', 'error', 'warning', 'warning', 'fatal', 'info'] as const;

interface IssueShape {
  service: string;
  type: string;
  level: (typeof LEVELS)[number];
  fingerprint: string;
  fn: string;
  file: string;
  message: string;
}

function issueShape(i: number): IssueShape {
  const service = SERVICES[i % SERVICES.length]!;
  const type = TYPES[(i * 7) % TYPES.length]!;
  const fn = `handler${i}`;
  return {
    service,
    type,
    level: LEVELS[(i * 3) % LEVELS.length]!,
    fingerprint: `seed-${i.toString(16).padStart(8, '0')}`,
    fn,
    file: `src/module${i % 97}/${fn}.ts`,
    message: `${type === 'TimeoutError' ? 'timed out after 3000ms in' : 'failed in'} ${fn} for tenant t_${i % 400}`,
  };
}

/** Cumulative weights (issue i ∝ 1/sqrt(i+1)): a few loud issues and a long tail, as real projects have. */
function cumulativeWeights(issues: number): Float64Array {
  const cum = new Float64Array(issues);
  let sum = 0;
  for (let i = 0; i < issues; i++) cum[i] = sum += 1 / Math.sqrt(i + 1);
  for (let i = 0; i < issues; i++) cum[i]! /= sum;
  return cum;
}

function pick(cum: Float64Array, r: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! < r) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A compact but schema-valid report for the stored JSON. */
function reportJson(id: string, iso: string, s: IssueShape, environment: string): string {
  return JSON.stringify({
    schema: 1,
    id,
    timestamp: iso,
    level: s.level,
    message: s.message,
    type: s.type,
    frames: [
      { file: `/srv/${s.service}/${s.file}`, function: s.fn, line: 42, column: 7, inApp: true },
      { file: 'node:internal/process/task_queues', function: 'processTicksAndRejections', line: 95, column: 5, inApp: false },
    ],
    handled: true,
    mechanism: 'errgroup',
    context: { tags: { region: 'eu-west-1' } },
    service: { name: s.service, version: '1.4.2', environment },
    runtime: { name: 'node', version: '20.20.0' },
    sdk: { name: '@faultline/sdk', version: '0.1.0' },
  });
}

/** Writes `events` events of `issues` issues, oldest first; resolves with the wall time it took in ms. */
export async function seedStore(store: Store, options: SeedOptions): Promise<number> {
  const { events, issues, days, now } = options;
  const batch = options.batch ?? 10_000;
  const shapes = Array.from({ length: issues }, (_, i) => issueShape(i));
  const cum = cumulativeWeights(issues);
  const span = days * 86_400_000;
  const start = now - span;
  const t0 = performance.now();
  // Every issue gets its first event in the first batch, so all `issues` exist whatever the weights.
  for (let n = 0; n < events; n += batch) {
    const size = Math.min(batch, events - n);
    const ids = randomBytes(16 * size);
    const rows: PreparedEvent[] = new Array<PreparedEvent>(size);
    for (let k = 0; k < size; k++) {
      const seq = n + k;
      const issue = seq < issues ? seq : pick(cum, Math.random());
      const s = shapes[issue]!;
      const timestamp = Math.floor(start + (seq / events) * span);
      const environment = seq % 5 === 0 ? 'staging' : 'production';
      const id = ids.toString('hex', k * 16, k * 16 + 16);
      rows[k] = {
        id,
        service: s.service,
        environment,
        level: s.level,
        fingerprint: s.fingerprint,
        grouping: 1,
        timestamp,
        receivedAt: timestamp + 50,
        type: s.type,
        title: `${s.type}: ${s.message}`,
        message: s.message,
        culprit: `${s.fn} (${s.file})`,
        json: reportJson(id, new Date(timestamp).toISOString(), s, environment),
      };
    }
    await store.writeEvents(rows);
  }
  return performance.now() - t0;
}
