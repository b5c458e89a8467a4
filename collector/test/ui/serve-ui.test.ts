import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UI_CONTENT_SECURITY_POLICY } from '../../src/ui/serve-ui.js';
import { testApp } from '../helpers/app.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-ui-'));
beforeAll(() => {
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>faultline</title><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("ui")');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('web UI', () => {
  it('serves the built UI at / with a strict Content-Security-Policy', async () => {
    const app = await testApp({ uiDir: dir });
    const index = await app.inject({ url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toContain('text/html');
    expect(index.body).toContain('<title>faultline</title>');
    expect(index.headers['content-security-policy']).toBe(UI_CONTENT_SECURITY_POLICY);
    expect(UI_CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(UI_CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    const asset = await app.inject({ url: '/assets/app.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-security-policy']).toBe(UI_CONTENT_SECURITY_POLICY);
    await app.close();
  });

  it('falls back to index.html for other GET paths (client-side routes), not for API paths', async () => {
    const app = await testApp({ uiDir: dir });
    const route = await app.inject({ url: '/issues/42?tab=events' });
    expect(route.statusCode).toBe(200);
    expect(route.body).toContain('<title>faultline</title>');
    expect(route.headers['content-security-policy']).toBe(UI_CONTENT_SECURITY_POLICY);
    const api = await app.inject({ url: '/api/unknown' });
    expect(api.statusCode).toBe(404);
    expect(api.json().code).toBe('FAULTLINE_NOT_FOUND');
    expect((await app.inject({ method: 'POST', url: '/issues/42' })).statusCode).toBe(404);
    await app.close();
  });

  it('answers a plain text page saying the UI is not built when the directory has no index.html', async () => {
    const app = await testApp({ uiDir: join(dir, 'missing') });
    for (const url of ['/', '/issues/1']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/plain');
      expect(res.body).toContain('web UI is not built');
    }
    await app.close();
  });
});
