import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnText } from '../../src/storage/column-text.js';
import { getJson, ingest, testApp } from '../helpers/app.js';
import { POSTGRES_SKIP_REASON, TEST_DATABASE_URL, createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { frame, makeReport } from '../helpers/reports.js';

describe('columnText', () => {
  it('replaces NULs and lone surrogates with U+FFFD and keeps everything else, pairs included', () => {
    expect(columnText('plain')).toBe('plain');
    expect(columnText('emoji 😀 ok')).toBe('emoji 😀 ok');
    expect(columnText('a\u0000b')).toBe('a\ufffdb');
    expect(columnText('x\ud800y')).toBe('x\ufffdy');
    expect(columnText('\udc00😀\u0000')).toBe('\ufffd😀\ufffd');
  });
});

const stores: { name: string; skip?: string; open(): Promise<FastifyInstance>; close(): Promise<void> }[] = [];
let database: TestDatabase | undefined;
stores.push({ name: 'SQLite', open: () => testApp(), close: async () => {} });
stores.push({
  name: 'PostgreSQL',
  skip: TEST_DATABASE_URL === undefined ? POSTGRES_SKIP_REASON : undefined,
  async open() {
    database = await createTestDatabase();
    return testApp({ databaseUrl: database.url });
  },
  close: async () => database?.drop(),
});

for (const store of stores) {
  describe.skipIf(store.skip !== undefined)(`text a store cannot index, on ${store.name}${store.skip ? ` (${store.skip})` : ''}`, () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      app = await store.open();
    });
    afterAll(async () => {
      await app.close();
      await store.close();
    });

    it('stores reports with NULs and lone surrogates in indexed fields, and the batch around them, verbatim', async () => {
      const odd = [
        makeReport({ service: 'nul\u0000service' }),
        makeReport({ service: 'lone\ud800service' }),
        makeReport({ service: 'own-issue', environment: 'prod\u0000uction' }),
        makeReport({ type: 'Type\u0000Error', message: 'new issue \u0000 message', frames: [] }),
        makeReport({ frames: [frame('/app/src/x\u0000.ts', 'handle\u0000It')] }),
        makeReport({ message: 'lone \udfff low', frames: [] }),
      ];
      const good = [makeReport(), makeReport({ service: 'other' })];
      const res = await ingest(app, [good[0], ...odd, good[1]]);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ accepted: 8, duplicates: 0, rejected: [] });

      const { body } = await getJson(app, '/api/issues?limit=100');
      const services = body.issues.map((i: { service: string }) => i.service);
      expect(services).toContain('nul\ufffdservice');
      expect(services).toContain('lone\ufffdservice');
      expect(body.issues.map((i: { environment: string }) => i.environment)).toContain('prod\ufffduction');
      expect(body.issues.map((i: { title: string }) => i.title)).toContain('Type\ufffdError: new issue \ufffd message');

      // A filter spelled as sent finds the issue (its NUL read as U+FFFD, like the stored value).
      const filtered = await getJson(app, `/api/issues?service=${encodeURIComponent('nul\u0000service')}`);
      expect(filtered.status).toBe(200);
      expect(filtered.body.issues.map((i: { service: string }) => i.service)).toEqual(['nul\ufffdservice']);

      // The stored report is the one sent, NUL and all.
      const event = await getJson(app, `/api/events/${odd[3]!.id}`);
      expect(event.status).toBe(200);
      expect(event.body.message).toBe('new issue \u0000 message');
      expect(event.body.type).toBe('Type\u0000Error');
    });
  });
}
