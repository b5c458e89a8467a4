import { createRequire } from 'node:module';
import { arch, hostname, platform } from 'node:os';
import { LIMITS } from './limits.js';
import type { Report } from './schema.js';
import { truncate } from './truncate.js';

/** Who sends a report: the same object for every report of a client. */
export interface ReportOrigin {
  readonly service: Report['service'];
  readonly runtime: Report['runtime'];
  readonly sdk: Report['sdk'];
}

export const SDK_NAME = '@faultline/sdk';

/** This package's version, read once from its package.json (one level above both src/ and dist/). */
export const SDK_VERSION: string = (() => {
  try {
    const pkg = createRequire(import.meta.url)('../../package.json') as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
})();

export function reportOrigin(options: { service: string; release?: string; environment?: string }): ReportOrigin {
  const max = LIMITS.serviceFieldChars;
  const service: Report['service'] = { name: truncate(options.service, max) };
  if (options.release !== undefined) service.version = truncate(options.release, max);
  if (options.environment !== undefined) service.environment = truncate(options.environment, max);
  let host: string | undefined;
  try {
    host = hostname();
  } catch {
    host = undefined;
  }
  const runtime: Report['runtime'] = {
    name: 'node',
    version: process.versions.node,
    platform: platform(),
    arch: arch(),
    pid: process.pid,
  };
  if (host !== undefined) runtime.hostname = truncate(host, max);
  return Object.freeze({
    service: Object.freeze(service),
    runtime: Object.freeze(runtime),
    sdk: Object.freeze({ name: SDK_NAME, version: SDK_VERSION }),
  });
}
