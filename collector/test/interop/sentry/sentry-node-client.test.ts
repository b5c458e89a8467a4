import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecuredCollector, type SecuredCollector } from '../secured-collector.js';

const run = promisify(execFile);
const CLIENT = fileURLToPath(new URL('./fixtures/sentry-client.mjs', import.meta.url));
// Sentry's SDKs accept only word characters in a DSN's public key.
const KEY = 'e2f4a6b8c0d1e3f5a7b9c1d3e5f7a9b1';

interface IssueSummary {
  id: string;
  title: string;
  type: string;
  service: string;
  environment: string;
  level: string;
  count: number;
}

let secured: SecuredCollector;
let ids: Record<string, string>;
let issues: IssueSummary[];

const api = (path: string) => secured.api(path);

async function latestEvent(title: string) {
  const issue = issues.find((i) => i.title === title);
  expect(issue, `an issue titled ${title}`).toBeDefined();
  const detail = await api(`/api/issues/${issue!.id}`);
  return detail.latestEvent;
}

// The real @sentry/node 10 client, its DSN pointing at a collector on a random port, with ingest keys and a read token.
describe('@sentry/node client against the collector', () => {
  beforeAll(async () => {
    secured = await startSecuredCollector(KEY, { sentryProjects: ['42=checkout'] });
    const dsn = `http://${KEY}@127.0.0.1:${secured.collector.port}/42`;
    const { stdout } = await run(process.execPath, [CLIENT, dsn, 'all'], { timeout: 30_000 });
    const result = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(result.flushed).toBe(true);
    ids = result.ids;
    issues = (await api('/api/issues?limit=100')).issues;
  }, 60_000);

  afterAll(async () => {
    await secured?.close();
  });

  it('stores captureException as an issue of the DSN project\'s service, with the event id the client returned', async () => {
    const event = await latestEvent('RangeError: quantity must be positive');
    expect(event.id).toBe(ids.plain);
    expect(event.mechanism).toBe('sentry');
    expect(event.handled).toBe(true);
    expect(event.service).toEqual({ name: 'checkout', version: 'checkout@1.2.3', environment: 'staging' });
    expect(event.runtime).toMatchObject({ name: 'node', hostname: 'web-7' });
    expect(event.sdk.name).toBe('sentry.javascript.node');
    expect(event.frames[0]).toMatchObject({ file: CLIENT, inApp: true });
    expect(event.trace.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('stores captureMessage with its level and message as the title', async () => {
    const event = await latestEvent('payment provider slow: 2300 ms');
    expect(event.id).toBe(ids.message);
    expect(event.level).toBe('warning');
    expect(event.type).toBe('');
    expect(event.message).toBe('payment provider slow: 2300 ms');
  });

  it('keeps an error with a cause as the error plus its cause chain, frames innermost first', async () => {
    const event = await latestEvent('TypeError: order 1234 could not be placed');
    expect(event.id).toBe(ids.withCause);
    expect(event.causes).toHaveLength(1);
    expect(event.causes[0]).toMatchObject({ type: 'DatabaseError', message: 'connect ECONNREFUSED 10.0.0.1:5432' });
    expect(event.causes[0].frames[0]).toMatchObject({ function: 'lookUpOrder', inApp: true });
    expect(event.frames[0]).toMatchObject({ function: 'placeOrder', inApp: true });
  });

  it('keeps tags (stringified) and the user', async () => {
    const event = await latestEvent('TypeError: order 1234 could not be placed');
    expect(event.context.tags).toMatchObject({ region: 'eu-west', attempt: '3' });
    expect(event.context.user).toMatchObject({ id: 'user-42', email: 'ada@example.com' });
  });

  it('lists every captured event through the read API, and nothing else (sessions are not stored)', () => {
    expect(issues.map((i) => i.title).sort()).toEqual(['RangeError: quantity must be positive', 'TypeError: order 1234 could not be placed', 'payment provider slow: 2300 ms']);
    expect(issues.every((i) => i.service === 'checkout' && i.environment === 'staging' && i.count === 1)).toBe(true);
  });
});
