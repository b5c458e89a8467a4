import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, testApp } from '../helpers/app.js';
import { makeReport } from '../helpers/reports.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await testApp();
  await ingest(app, [makeReport(), makeReport({ service: 'billing', environment: 'staging' })]);
});
afterAll(() => app.close());

const PARAMS = ['service', 'environment', 'status', 'level', 'q', 'since', 'until', 'sort', 'cursor', 'limit', 'sparkline', 'interval', 'issue'];
const value = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('', '0', '-1', '1e3', '99999999999999999999', '8640000000000000', '2026-02-31T00:00:00Z', 'lastSeen', 'minute', 'day', '24h', '0h', '999h', 'resolved', 'fatal'),
  fc.integer().map(String),
);
const query = fc.array(fc.tuple(fc.constantFrom(...PARAMS), value), { maxLength: 6 }).map((pairs) => new URLSearchParams(pairs).toString());

describe('read API under generated queries', () => {
  it.each(['/api/issues', '/api/stats', '/api/issues/1/events', '/api/issues/1', '/api/services'])('answers %s with 200 or a 4xx { error, code }, never 5xx', async (path) => {
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const res = await app.inject({ url: `${path}?${q}` });
        expect(res.statusCode).toBeLessThan(500);
        if (res.statusCode >= 400) expect(res.json().code).toMatch(/^FAULTLINE_/);
      }),
      { numRuns: 600, seed: 4319 },
    );
  });

  it('answers arbitrary ids and PATCH bodies without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), fc.jsonValue(), async (id, body) => {
        const res = await app.inject({ method: 'PATCH', url: `/api/issues/${encodeURIComponent(id)}`, payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
        expect(res.statusCode).toBeLessThan(500);
        const event = await app.inject({ url: `/api/events/${encodeURIComponent(id)}` });
        expect(event.statusCode).toBeLessThan(500);
      }),
      { numRuns: 600, seed: 4319 },
    );
  });
});
