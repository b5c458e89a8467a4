import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/storage/postgres-store.js';
import { postBatch, spawnCollector, type ChildCollector } from '../helpers/child-collector.js';
import { POSTGRES_SKIP_REASON, TEST_DATABASE_URL, createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { makeReport } from '../helpers/reports.js';

const GROUPS = 5;
const BATCHES = 30;
const BATCH_SIZE = 40;

describe.skipIf(TEST_DATABASE_URL === undefined)(
  TEST_DATABASE_URL === undefined ? `two collectors on one PostgreSQL (${POSTGRES_SKIP_REASON})` : 'two collectors on one PostgreSQL',
  () => {
    let database: TestDatabase;
    const collectors: ChildCollector[] = [];

    beforeAll(async () => {
      database = await createTestDatabase();
      // Both start at once: the migration runs once, under its advisory lock.
      collectors.push(...(await Promise.all([spawnCollector(['--database-url', database.url]), spawnCollector(['--database-url', database.url])])));
    });
    afterAll(async () => {
      for (const c of collectors) {
        c.child.kill('SIGTERM');
        await c.exited;
      }
      await database?.drop();
    });

    it('end with exact counts when both write the same fingerprints, and the same ids, at the same time', async () => {
      const madeAt = Date.now();
      const reports = Array.from({ length: BATCHES * BATCH_SIZE }, (_, i) =>
        makeReport({ fingerprint: [`group-${i % GROUPS}`], timestamp: new Date(madeAt - i * 1000).toISOString() }),
      );
      const batches = Array.from({ length: BATCHES }, (_, b) => reports.slice(b * BATCH_SIZE, (b + 1) * BATCH_SIZE));
      // Every batch goes to both collectors concurrently: each id arrives twice, at two processes.
      const statuses = await Promise.all(batches.flatMap((batch) => collectors.map((c) => postBatch(c.url, batch))));
      expect(statuses.every((s) => s === 202)).toBe(true);

      const store = await PostgresStore.open(database.url);
      try {
        const issues = await store.listIssues({ sort: 'count', limit: 100 });
        expect(issues).toHaveLength(GROUPS);
        expect(issues.map((i) => i.count)).toEqual(new Array(GROUPS).fill(reports.length / GROUPS));
        const stats = await store.stats({ interval: 'hour', since: 0, until: Date.now() + 3_600_000 });
        expect(stats.byService).toEqual([{ service: 'checkout', count: reports.length }]);
        for (const issue of issues) {
          // The hour the reports were made in and the one before: all of them, even if the test crossed an hour.
          const line = await store.sparklines([issue.id], Math.floor(madeAt / 3_600_000) * 3_600_000 - 3_600_000, 2);
          expect(line.get(issue.id)!.reduce((a, b) => a + b, 0)).toBe(reports.length / GROUPS);
        }
      } finally {
        await store.close();
      }
    });
  },
);
