import type { Order } from '../src/orders.js';
import type { PointsAward, Redemption, Reservation, ServiceName, Services } from '../src/services.js';

export interface Step {
  /** When the call answers. */
  readonly ms: number;
  readonly fails?: boolean;
}

export interface Script {
  readonly calls?: Partial<Record<ServiceName, Step>>;
  /** Undo calls that fail. */
  readonly failingUndo?: readonly ServiceName[];
}

/** What happened, in order: `inventory ok`, `risk failed`, `undo coupons`, `inventory aborted`... */
export type Log = string[];

const OK: Step = { ms: 10 };

/** Services that answer as scripted (with fake timers, at exactly the scripted times), logging each event. */
export function scriptedServices(script: Script, log: Log, errors: Error[] = []): Services {
  const call = <T>(name: ServiceName, signal: AbortSignal, value: T): Promise<T> => {
    const step = script.calls?.[name] ?? OK;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        if (step.fails === true) {
          const error = new Error(`${name} failed`);
          errors.push(error);
          log.push(`${name} failed`);
          reject(error);
        } else {
          log.push(`${name} ok`);
          resolve(value);
        }
      }, step.ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        log.push(`${name} aborted`);
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  };
  const undo = (name: ServiceName): Promise<void> =>
    new Promise<void>((resolve, reject) =>
      setTimeout(() => {
        log.push(`undo ${name}`);
        if (script.failingUndo?.includes(name)) reject(new Error(`undo ${name} failed`));
        else resolve();
      }, 5),
    );
  return {
    reserveStock: (order: Order, signal: AbortSignal): Promise<Reservation> => call('inventory', signal, { order: order.id, sku: order.sku, quantity: 1 }),
    releaseStock: () => undo('inventory'),
    redeemCoupon: (order: Order, signal: AbortSignal): Promise<Redemption> => call('coupons', signal, { order: order.id, coupon: order.coupon }),
    restoreCoupon: () => undo('coupons'),
    awardPoints: (order: Order, signal: AbortSignal): Promise<PointsAward> => call('points', signal, { order: order.id, points: order.points }),
    reversePoints: () => undo('points'),
    checkRisk: (_order: Order, signal: AbortSignal): Promise<void> => call('risk', signal, undefined),
  };
}

export const ORDER: Order = { id: 'ORD-00001', customer: 'cus-100', region: 'eu-west', sku: 'SKU-1000', quantity: 1, coupon: 'VIP20', points: 100 };
