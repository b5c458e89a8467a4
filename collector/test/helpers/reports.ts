import { randomBytes } from 'node:crypto';
import type { Frame, Report } from '@faultline/sdk/schema';

export function reportId(): string {
  return randomBytes(16).toString('hex');
}

export function frame(file: string, fn: string, line = 10, inApp = true): Frame {
  return { file, function: fn, line, column: 5, inApp };
}

export interface ReportOverrides extends Partial<Omit<Report, 'service'>> {
  service?: string;
  environment?: string;
}

/** A valid schema-1 report; every field can be overridden. */
export function makeReport(overrides: ReportOverrides = {}): Report {
  const { service = 'checkout', environment = 'production', ...rest } = overrides;
  return {
    schema: 1,
    id: reportId(),
    timestamp: new Date().toISOString(),
    level: 'error',
    message: 'Cannot read properties of undefined (reading "total")',
    type: 'TypeError',
    stack: 'TypeError: Cannot read properties of undefined\n    at computeTotal (/app/src/cart.ts:10:5)',
    frames: [frame('/app/src/cart.ts', 'computeTotal', 10), frame('/app/src/routes/checkout.ts', 'handleCheckout', 42), frame('node:internal/process/task_queues', 'processTicksAndRejections', 95, false)],
    handled: true,
    mechanism: 'captureException',
    context: { tags: { region: 'eu' }, user: { id: 'u1' } },
    service: { name: service, version: '1.0.0', environment },
    runtime: { name: 'node', version: '20.20.0', platform: 'linux', arch: 'x64', hostname: 'web-1', pid: 42 },
    sdk: { name: '@faultline/sdk', version: '0.1.0' },
    ...rest,
  };
}
