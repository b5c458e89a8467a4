import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { CollectorOptions } from '../../src/config/options.js';
import { startCollector, type RunningCollector } from '../../src/start-collector.js';

export const READ_TOKEN = 'interop-read-token';

export interface SecuredCollector {
  collector: RunningCollector;
  /** GET on the read API with the read token; expects 200 and returns the JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read by the tests field by field
  api(path: string): Promise<any>;
  close(): Promise<void>;
}

/** A collector listening on a random port, SQLite in a temporary directory, with the given ingest key and a read token. */
export async function startSecuredCollector(ingestKey: string, options: CollectorOptions = {}): Promise<SecuredCollector> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-interop-'));
  const collector = await startCollector({
    port: 0,
    sqlitePath: join(dir, 'faultline.db'),
    logLevel: 'silent',
    uiDir: '/nonexistent-ui-dir',
    retentionIntervalMs: 0,
    ingestKeys: [ingestKey],
    readToken: READ_TOKEN,
    ...options,
  });
  return {
    collector,
    api: async (path) => {
      const res = await fetch(`${collector.url}${path}`, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
      expect(res.status).toBe(200);
      return res.json();
    },
    close: async () => {
      await collector.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
