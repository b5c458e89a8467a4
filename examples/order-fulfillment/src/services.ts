import {
  CompensationFailedError,
  CouponServiceError,
  OutOfStockError,
  PointsLedgerError,
  RiskDeclinedError,
} from './errors.js';
import type { Order } from './orders.js';
import { randomFor } from './random.js';
import { remoteCall, remoteUndo, type CallProfile } from './remote-call.js';

/** The four services an order calls, with their deadlines and whether the order can do without them. */
export const SERVICES = {
  inventory: { timeoutMs: 300, degradable: false },
  coupons: { timeoutMs: 500, degradable: true },
  points: { timeoutMs: 400, degradable: true },
  risk: { timeoutMs: 200, degradable: false },
} as const;

export type ServiceName = keyof typeof SERVICES;

// Latencies stay below each deadline unless a call hangs; hangs go well past it.
const PROFILES: Record<ServiceName, CallProfile> = {
  inventory: { latencyMs: [40, 240], offsetMs: 0, failureRate: 0.04, hangRate: 0.02, hangMs: 600 },
  coupons: { latencyMs: [20, 200], offsetMs: 5, failureRate: 0.07, hangRate: 0.02, hangMs: 900 },
  points: { latencyMs: [40, 240], offsetMs: 10, failureRate: 0.06, hangRate: 0.02, hangMs: 800 },
  risk: { latencyMs: [20, 140], offsetMs: 15, failureRate: 0.04, hangRate: 0.01, hangMs: 450 },
};

/** Share of coupon restorations that fail (the coupon service is flaky). */
const RESTORE_FAILURE_RATE = 0.4;

export interface Reservation {
  readonly order: string;
  readonly sku: string;
  readonly quantity: number;
}

export interface Redemption {
  readonly order: string;
  readonly coupon: string;
}

export interface PointsAward {
  readonly order: string;
  readonly points: number;
}

/** The remote calls an order makes, and the calls that undo them. */
export interface Services {
  reserveStock(order: Order, signal: AbortSignal): Promise<Reservation>;
  releaseStock(reservation: Reservation): Promise<void>;
  redeemCoupon(order: Order, signal: AbortSignal): Promise<Redemption>;
  restoreCoupon(redemption: Redemption): Promise<void>;
  awardPoints(order: Order, signal: AbortSignal): Promise<PointsAward>;
  reversePoints(award: PointsAward): Promise<void>;
  checkRisk(order: Order, signal: AbortSignal): Promise<void>;
}

/** Simulated remote services; every draw comes from the run's seed, per order and call. */
export class RemoteServices implements Services {
  constructor(private readonly seed: number) {}

  reserveStock(order: Order, signal: AbortSignal): Promise<Reservation> {
    return remoteCall(
      PROFILES.inventory,
      randomFor(this.seed, `${order.id}/inventory`),
      signal,
      () => ({ order: order.id, sku: order.sku, quantity: order.quantity }),
      () => outOfStock(order),
    );
  }

  releaseStock(_reservation: Reservation): Promise<void> {
    return remoteUndo(15);
  }

  redeemCoupon(order: Order, signal: AbortSignal): Promise<Redemption> {
    return remoteCall(
      PROFILES.coupons,
      randomFor(this.seed, `${order.id}/coupons`),
      signal,
      () => ({ order: order.id, coupon: order.coupon }),
      couponServiceUnavailable,
    );
  }

  restoreCoupon(redemption: Redemption): Promise<void> {
    const fails = randomFor(this.seed, `${redemption.order}/coupons-restore`)() < RESTORE_FAILURE_RATE;
    return remoteUndo(25, fails ? () => couponNotRestored(redemption) : undefined);
  }

  awardPoints(order: Order, signal: AbortSignal): Promise<PointsAward> {
    return remoteCall(
      PROFILES.points,
      randomFor(this.seed, `${order.id}/points`),
      signal,
      () => ({ order: order.id, points: order.points }),
      () => ledgerConflict(order),
    );
  }

  reversePoints(_award: PointsAward): Promise<void> {
    return remoteUndo(20);
  }

  checkRisk(order: Order, signal: AbortSignal): Promise<void> {
    return remoteCall(
      PROFILES.risk,
      randomFor(this.seed, `${order.id}/risk`),
      signal,
      () => undefined,
      () => riskDeclined(order),
    );
  }
}

// The errors the services answer with, each made in a function of its own so reports name it as the culprit.

function outOfStock(order: Order): OutOfStockError {
  return new OutOfStockError('inventory', 'OUT_OF_STOCK', `${order.sku}: ${order.quantity} requested, none left in ${order.region}`);
}

function couponServiceUnavailable(): CouponServiceError {
  return new CouponServiceError('coupons', 'COUPON_SERVICE_UNAVAILABLE', 'coupon service answered 503 Service Unavailable');
}

function couponNotRestored(redemption: Redemption): CompensationFailedError {
  return new CompensationFailedError('coupons', 'COUPON_RESTORE_FAILED', `could not restore coupon ${redemption.coupon} of ${redemption.order}`, {
    cause: couponServiceUnavailable(),
  });
}

function ledgerConflict(order: Order): PointsLedgerError {
  return new PointsLedgerError('points', 'LEDGER_CONFLICT', `points ledger refused the award of ${order.points} points: version conflict`);
}

function riskDeclined(order: Order): RiskDeclinedError {
  return new RiskDeclinedError('risk', 'RISK_DECLINED', `risk check declined ${order.id}`, {
    cause: new Error(`score 0.97 is above the ${order.region} threshold 0.90`),
  });
}
