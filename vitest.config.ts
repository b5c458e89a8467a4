import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['sdk', 'collector', 'dashboards', 'test', 'examples/order-fulfillment'],
  },
});
