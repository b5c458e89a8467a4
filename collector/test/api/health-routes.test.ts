import { describe, expect, it } from 'vitest';
import { testApp } from '../helpers/app.js';
import { GatedStore } from '../helpers/gated-store.js';

describe('health', () => {
  it('answers /healthz and /readyz while the store answers', async () => {
    const app = await testApp();
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready', store: 'sqlite' });
    await app.close();
  });

  it('answers /readyz with 503 when the store does not answer', async () => {
    const gated = new GatedStore();
    const app = await testApp({ store: gated.store });
    await gated.inner.close();
    const res = await app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('FAULTLINE_STORE_UNAVAILABLE');
    await app.close();
  });

  it('answers unknown API routes with 404 { error, code }', async () => {
    const app = await testApp();
    const res = await app.inject({ url: '/api/nothing' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'No route GET /api/nothing', code: 'FAULTLINE_NOT_FOUND' });
    await app.close();
  });
});
