import type { PreparedEvent } from '../../src/storage/store.js';
import { reportId } from './reports.js';

/** A PreparedEvent as the ingest pipeline would hand it to a store. */
export function prepared(overrides: Partial<PreparedEvent> = {}): PreparedEvent {
  const id = overrides.id ?? reportId();
  const timestamp = overrides.timestamp ?? Date.now();
  return {
    id,
    service: 'checkout',
    environment: 'production',
    level: 'error',
    fingerprint: 'fp-a',
    grouping: 1,
    timestamp,
    receivedAt: timestamp + 5,
    type: 'TypeError',
    title: 'TypeError: boom',
    message: 'boom',
    culprit: 'computeTotal (src/cart.ts)',
    json: JSON.stringify({ id, message: 'boom' }),
    ...overrides,
  };
}
