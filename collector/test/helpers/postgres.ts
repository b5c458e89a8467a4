import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Set by .ci/run (and by hand locally); when set, the PostgreSQL tests must run and fail if it does not answer. */
export const TEST_DATABASE_URL = process.env.FAULTLINE_TEST_DATABASE_URL;
export const POSTGRES_SKIP_REASON = 'FAULTLINE_TEST_DATABASE_URL is not set: PostgreSQL tests skipped';

export interface TestDatabase {
  url: string;
  /** Empties every table the collector created. */
  truncate(): Promise<void>;
  drop(): Promise<void>;
}

/** Creates a fresh, uniquely named database on the test server (throws when the server does not answer). */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (TEST_DATABASE_URL === undefined) throw new Error(POSTGRES_SKIP_REASON);
  const name = `faultline_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async truncate() {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        await client.query('TRUNCATE issues, events, issue_hourly, issue_minutely, hourly_counts, minute_counts RESTART IDENTITY');
      } finally {
        await client.end();
      }
    },
    async drop() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
