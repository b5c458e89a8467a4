import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { POSTGRES_MIGRATIONS } from '../../src/storage/postgres-migrations.js';
import { PostgresStore } from '../../src/storage/postgres-store.js';
import { SQLITE_MIGRATIONS } from '../../src/storage/sqlite-migrations.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import type { Store } from '../../src/storage/store.js';
import { POSTGRES_SKIP_REASON, TEST_DATABASE_URL, createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);

// A schema-1 database: one issue, three events in two minutes (two in staging, one in production).
const ISSUE = `INSERT INTO issues (id, service, fingerprint, grouping, type, title, message, culprit, environment, level, count, stored_events, first_seen, last_seen)
  VALUES (1, 'checkout', 'fp', 1, 'TypeError', 'TypeError: boom', 'boom', 'f (a.ts)', 'production', 'error', 3, 3, ${T0}, ${T0 + 61_000})`;
const EVENTS = `INSERT INTO events (id, issue_id, ts, received_at, environment, level, report) VALUES
  ('${'a'.repeat(32)}', 1, ${T0}, ${T0}, 'staging', 'error', '{}'),
  ('${'b'.repeat(32)}', 1, ${T0 + 30_000}, ${T0}, 'staging', 'error', '{}'),
  ('${'c'.repeat(32)}', 1, ${T0 + 61_000}, ${T0}, 'production', 'error', '{}')`;

async function expectMinutesBackfilled(store: Store): Promise<void> {
  const stats = await store.stats({ interval: 'minute', since: T0, until: T0 + 120_000, issueId: '1' });
  expect(stats.buckets).toEqual([
    { t: T0, count: 2 },
    { t: T0 + 60_000, count: 1 },
  ]);
  expect(stats.byEnvironment).toEqual([
    { environment: 'staging', count: 2 },
    { environment: 'production', count: 1 },
  ]);
}

describe('migration 2 (per-issue minute counts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-migrate-'));
  let database: TestDatabase | undefined;
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database?.drop();
  });

  it("fills a SQLite database's minute counts from the events it still stores", async () => {
    const file = join(dir, 'v1.db');
    const v1 = new Database(file);
    v1.exec(SQLITE_MIGRATIONS[0]!);
    v1.pragma('user_version = 1');
    v1.exec(ISSUE);
    v1.exec(EVENTS);
    v1.close();
    const store = SqliteStore.open(file);
    try {
      await expectMinutesBackfilled(store);
    } finally {
      await store.close();
    }
    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(SQLITE_MIGRATIONS.length);
    after.close();
  });

  it.skipIf(TEST_DATABASE_URL === undefined)(
    `fills a PostgreSQL database's minute counts from the events it still stores${TEST_DATABASE_URL === undefined ? ` (${POSTGRES_SKIP_REASON})` : ''}`,
    async () => {
      database = await createTestDatabase();
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await client.query(POSTGRES_MIGRATIONS[0]!);
        await client.query('CREATE TABLE faultline_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
        await client.query('INSERT INTO faultline_migrations (version) VALUES (1)');
        await client.query(ISSUE);
        await client.query("SELECT setval('issues_id_seq', 1)");
        await client.query(EVENTS);
      } finally {
        await client.end();
      }
      const store = await PostgresStore.open(database.url);
      try {
        await expectMinutesBackfilled(store);
      } finally {
        await store.close();
      }
    },
  );
});
