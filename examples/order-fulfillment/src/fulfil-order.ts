import { ErrGroup, withScope } from '@faultline/sdk';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { Order } from './orders.js';
import { SERVICES, type Services, type ServiceName } from './services.js';

export type OrderStatus = 'ok' | 'degraded' | 'failed';

/** What happened to one order. */
export interface OrderOutcome {
  readonly order: string;
  readonly status: OrderStatus;
  /** The error that failed the order (`type: message`). */
  readonly failure?: string;
  /** Calls that had succeeded and were undone because a required call failed, in the order they were undone. */
  readonly rolledBack: readonly ServiceName[];
  /** Compensations that failed themselves (each is reported). */
  readonly compensationFailures: number;
}

const tracer = trace.getTracer('order-fulfillment');

/**
 * Fulfils one order: inventory, coupons, points and risk called in parallel in an ErrGroup. A failed
 * degradable call (coupons, points) is reported as a warning and the order goes on, degraded; a failed
 * required call (inventory, risk) fails the order, and the calls that had succeeded are undone, last first.
 * Reports made here carry the order id, customer and region as tags, and the trace id of the order's span.
 */
export function fulfilOrder(order: Order, services: Services): Promise<OrderOutcome> {
  const tags = { order: order.id, customer: order.customer, region: order.region };
  return withScope({ tags }, () =>
    tracer.startActiveSpan(`fulfil ${order.id}`, { attributes: { 'order.id': order.id, 'order.region': order.region } }, async (span) => {
      try {
        const outcome = await callServices(order, services);
        if (outcome.status === 'failed') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.failure ?? 'failed' });
        return outcome;
      } finally {
        span.end();
      }
    }),
  );
}

async function callServices(order: Order, services: Services): Promise<OrderOutcome> {
  const rolledBack: ServiceName[] = [];
  const g = new ErrGroup({ name: `order ${order.id}` });
  await g.go(({ signal }) => services.reserveStock(order, signal), {
    name: 'inventory',
    timeout: SERVICES.inventory.timeoutMs,
    compensate: async (reservation) => {
      await services.releaseStock(reservation);
      rolledBack.push('inventory');
    },
  });
  await g.go(({ signal }) => services.redeemCoupon(order, signal), {
    name: 'coupons',
    timeout: SERVICES.coupons.timeoutMs,
    optional: SERVICES.coupons.degradable,
    compensate: async (redemption) => {
      await services.restoreCoupon(redemption);
      rolledBack.push('coupons');
    },
  });
  await g.go(({ signal }) => services.awardPoints(order, signal), {
    name: 'points',
    timeout: SERVICES.points.timeoutMs,
    optional: SERVICES.points.degradable,
    compensate: async (award) => {
      await services.reversePoints(award);
      rolledBack.push('points');
    },
  });
  await g.go(({ signal }) => services.checkRisk(order, signal), {
    name: 'risk',
    timeout: SERVICES.risk.timeoutMs,
  });
  try {
    await g.wait();
    // Only degradable calls can fail without failing the group.
    return { order: order.id, status: g.errors.length > 0 ? 'degraded' : 'ok', rolledBack, compensationFailures: 0 };
  } catch (error) {
    const compensationFailures = (error as { compensationErrors?: unknown[] }).compensationErrors?.length ?? 0;
    return { order: order.id, status: 'failed', failure: describe(error), rolledBack, compensationFailures };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
