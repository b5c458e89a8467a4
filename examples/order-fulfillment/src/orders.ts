import { pick, seededRandom } from './random.js';

export const REGIONS = ['eu-west', 'us-east', 'ap-south'] as const;
const COUPONS = ['SPRING10', 'WELCOME5', 'FREESHIP', 'VIP20'] as const;

/** An order to fulfil. */
export interface Order {
  readonly id: string;
  readonly customer: string;
  readonly region: (typeof REGIONS)[number];
  readonly sku: string;
  readonly quantity: number;
  readonly coupon: string;
  readonly points: number;
}

/** `count` orders, the same ones for the same seed. */
export function makeOrders(count: number, seed: number): Order[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => ({
    id: `ORD-${String(i + 1).padStart(5, '0')}`,
    customer: `cus-${String(Math.floor(random() * 900) + 100)}`,
    region: pick(random, REGIONS),
    sku: `SKU-${String(Math.floor(random() * 9000) + 1000)}`,
    quantity: 1 + Math.floor(random() * 3),
    coupon: pick(random, COUPONS),
    points: 10 * (1 + Math.floor(random() * 50)),
  }));
}
