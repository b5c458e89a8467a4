import { describe, expect, it } from 'vitest';
import { sentryServiceNames } from '../../../src/interop/sentry/sentry-projects.js';

describe('sentryServiceNames', () => {
  it('maps each listed DSN project id to its service, and others to sentry-project-<id>', () => {
    const serviceOf = sentryServiceNames(['42=checkout', ' 7 = billing api ']);
    expect(serviceOf('42')).toBe('checkout');
    expect(serviceOf('7')).toBe('billing api');
    expect(serviceOf('007')).toBe('billing api');
    expect(serviceOf('5')).toBe('sentry-project-5');
  });

  it.each([['checkout'], ['x=checkout'], ['42='], [`1=${'s'.repeat(201)}`]])('refuses the entry %j, naming the option', (entry) => {
    expect(() => sentryServiceNames([entry])).toThrow(/`sentryProjects` entries as <projectId>=<service>/);
  });
});
