import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Absolute path of a repository file. */
export function repoPath(relative: string): string {
  return fileURLToPath(new URL(relative, `file://${ROOT}`));
}

export const COLLECTOR_BIN = repoPath('collector/dist/bin.js');
export const DEMO_MAIN = repoPath('examples/order-fulfillment/dist/main.js');

/**
 * These suites run the built programs, as a user would: the collector's bin, and applications importing
 * `@faultline/sdk` from dist. `npm test` builds first; run `npm run build` before running them alone.
 */
export function requireBuilt(): void {
  const missing = [repoPath('sdk/dist/index.js'), COLLECTOR_BIN, repoPath('dashboards/dist/index.html'), DEMO_MAIN].filter((f) => !existsSync(f));
  if (missing.length > 0) throw new Error(`run \`npm run build\` first (npm test does): missing ${missing.join(', ')}`);
}
