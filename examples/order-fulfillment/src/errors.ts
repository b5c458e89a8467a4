// The failures of the simulated remote services. Each has a stable `code`, as a real client library's would.

/** A remote service answered with an error. */
export class RemoteServiceError extends Error {
  constructor(
    readonly service: string,
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** Inventory: not enough stock to reserve. */
export class OutOfStockError extends RemoteServiceError {}

/** Coupons: the coupon service failed. */
export class CouponServiceError extends RemoteServiceError {}

/** Points: the loyalty ledger failed. */
export class PointsLedgerError extends RemoteServiceError {}

/** Risk: the order was declined. */
export class RiskDeclinedError extends RemoteServiceError {}

/** A compensation (undoing a call that had succeeded) failed. */
export class CompensationFailedError extends RemoteServiceError {}

/** A demo setting is wrong, or the collector could not be reached or started. */
export class DemoError extends Error {
  override readonly name = 'DemoError';
}
