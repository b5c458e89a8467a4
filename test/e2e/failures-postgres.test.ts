import { describe, it } from 'vitest';
import { startCollectorProcess } from '../support/collector-process.js';
import { describeFailureSuite } from '../support/failure-suite.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../support/postgres.js';

// The same run against PostgreSQL, in a database created for it. With FAULTLINE_TEST_DATABASE_URL set (as
// .ci/run does), a server that does not answer fails the suite; without it the suite is skipped, visibly.
if (TEST_DATABASE_URL === undefined) {
  describe('an application\'s failures reach the collector (PostgreSQL)', () => {
    it.skip('needs FAULTLINE_TEST_DATABASE_URL (e.g. postgres://postgres:faultline-ci@127.0.0.1:5432/postgres)', () => undefined);
  });
} else {
  const serverUrl = TEST_DATABASE_URL;
  let database: TestDatabase | undefined;
  describeFailureSuite(
    'PostgreSQL',
    async () => {
      database = await createTestDatabase(serverUrl);
      return startCollectorProcess({ databaseUrl: database.url });
    },
    async () => {
      await database?.drop();
    },
  );
}
