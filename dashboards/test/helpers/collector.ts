// Starts a real collector in-process (random port, SQLite in a temp dir, serving the built UI) and talks to
// it over HTTP the way the SDK and the browser do.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '@faultline/collector';
import type { Report } from '@faultline/sdk/schema';

export const UI_DIR = new URL('../../dist/', import.meta.url).pathname;

export interface TestCollector {
  url: string;
  close: () => Promise<void>;
}

/** A collector on 127.0.0.1:<random> with its own SQLite file; `close()` stops it and deletes the file. */
export async function startTestCollector(options: { readToken?: string } = {}): Promise<TestCollector> {
  if (!existsSync(join(UI_DIR, 'index.html'))) {
    throw new Error(`${UI_DIR}index.html is missing: build the UI first (npm run build -w @faultline/dashboards)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'faultline-ui-'));
  const collector = await startCollector({
    port: 0,
    host: '127.0.0.1',
    sqlitePath: join(dir, 'faultline.db'),
    uiDir: UI_DIR,
    logLevel: 'silent',
    retentionIntervalMs: 0,
    ...(options.readToken ? { readToken: options.readToken } : {}),
  });
  return {
    url: collector.url,
    close: async () => {
      await collector.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface BatchAnswer {
  accepted: number;
  duplicates: number;
  rejected: { index: number; error: string }[];
}

/** POSTs reports in batches of 500 (the SDK's `dropped` counts ride on the first) and fails if any was rejected. */
export async function ingest(url: string, reports: readonly Report[], extra: { dropped?: Record<string, number> } = {}): Promise<number> {
  const batches: Report[][] = [];
  for (let i = 0; i < reports.length; i += 500) batches.push(reports.slice(i, i + 500));
  if (batches.length === 0) batches.push([]);
  let accepted = 0;
  for (const [n, batch] of batches.entries()) {
    const res = await fetch(`${url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reports: batch, ...(n === 0 && extra.dropped ? { dropped: extra.dropped } : {}) }),
    });
    const body = (await res.json()) as BatchAnswer;
    if (res.status !== 202 || body.rejected.length) {
      throw new Error(`ingest answered ${res.status}: ${JSON.stringify(body).slice(0, 2000)}`);
    }
    accepted += body.accepted;
  }
  return accepted;
}

/** GET or PATCH on the read API; returns the parsed JSON and fails on any non-2xx answer. */
export async function api<T>(url: string, path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}
