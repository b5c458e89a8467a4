import { ErrGroup } from '@faultline/sdk';
import { fulfilOrder, type OrderOutcome } from './fulfil-order.js';
import type { Order } from './orders.js';
import type { Services } from './services.js';

/** How orders are spread over concurrent work. */
export interface Concurrency {
  /** Orders per batch. */
  readonly batchSize: number;
  /** Batches processed at the same time. */
  readonly batches: number;
  /** Orders of one batch processed at the same time. */
  readonly ordersPerBatch: number;
}

export const DEFAULT_CONCURRENCY: Concurrency = { batchSize: 25, batches: 4, ordersPerBatch: 10 };

/**
 * Processes orders in batches: an outer group runs batches under a limit, each batch runs its orders in a group
 * under a limit, and each order runs its calls in a group. A failing call's report therefore carries a
 * three-level async spawn chain: call → order → batch. An order's failure never fails its batch.
 */
export async function processOrders(orders: readonly Order[], services: Services, concurrency = DEFAULT_CONCURRENCY): Promise<OrderOutcome[]> {
  const outcomes: OrderOutcome[] = [];
  const all = new ErrGroup({ name: 'batches', limit: concurrency.batches });
  for (let start = 0, n = 1; start < orders.length; start += concurrency.batchSize, n++) {
    const batch = orders.slice(start, start + concurrency.batchSize);
    const name = `batch ${n}`;
    // Awaiting go() holds the loop while the limit is reached (backpressure).
    await all.go(() => processBatch(name, batch, services, concurrency, outcomes), { name });
  }
  await all.wait();
  return outcomes;
}

async function processBatch(name: string, batch: readonly Order[], services: Services, concurrency: Concurrency, outcomes: OrderOutcome[]): Promise<void> {
  const g = new ErrGroup({ name, limit: concurrency.ordersPerBatch });
  for (const order of batch) {
    await g.go(async () => void outcomes.push(await fulfilOrder(order, services)), { name: `order ${order.id}` });
  }
  await g.wait();
}
