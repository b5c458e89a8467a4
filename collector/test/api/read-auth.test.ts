import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, testApp } from '../helpers/app.js';
import { makeReport } from '../helpers/reports.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await testApp({ readToken: 'secret-read', ingestKeys: ['ingest-key'] });
});
afterAll(() => app.close());

describe('read token', () => {
  it.each(['/api/issues', '/api/stats', '/api/services', '/api/issues/1', '/api/events/x'])('answers 401 { error, code } on %s without the token', async (url) => {
    const res = await app.inject({ url });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: expect.stringContaining('read token'), code: 'FAULTLINE_UNAUTHORIZED' });
    expect((await app.inject({ url, headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
  });

  it('serves /api with Authorization: Bearer <token>', async () => {
    await ingest(app, [makeReport()], { authorization: 'Bearer ingest-key' });
    const res = await app.inject({ url: '/api/issues', headers: { authorization: 'Bearer secret-read' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().issues).toHaveLength(1);
  });

  it('does not accept the ingest key for reading, nor the read token for ingest', async () => {
    expect((await app.inject({ url: '/api/issues', headers: { authorization: 'Bearer ingest-key' } })).statusCode).toBe(401);
    expect((await ingest(app, [makeReport()], { authorization: 'Bearer secret-read' })).status).toBe(401);
  });

  it.each(['/%61pi/issues', '/ap%69/services', '/%61%70%69/stats', '/%61pi/issues/1', '/api%2Fissues'])(
    'answers no API data on %s, an /api path spelled with percent-escapes, without the token',
    async (url) => {
      await ingest(app, [makeReport()], { authorization: 'Bearer ingest-key' });
      const res = await app.inject({ url });
      // 401, or (an encoded slash matches no API route) an answer that holds none of the API's data.
      if (res.statusCode !== 401) expect(res.body).not.toMatch(/"(issues|services|buckets|id)"/);
      const patch = await app.inject({ method: 'PATCH', url: '/%61pi/issues/1', payload: { status: 'ignored' } });
      expect(patch.statusCode).toBe(401);
    },
  );

  it('leaves /healthz, /readyz and /metrics open', async () => {
    for (const url of ['/healthz', '/readyz', '/metrics']) expect((await app.inject({ url })).statusCode).toBe(200);
  });
});
