import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Set by .ci/run. When set, PostgreSQL runs must pass (a server that does not answer fails them). */
export const TEST_DATABASE_URL = process.env.FAULTLINE_TEST_DATABASE_URL || undefined;

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** Creates a new, empty database on the server of `serverUrl`, for one run. */
export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `faultline_e2e_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
