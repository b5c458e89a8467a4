import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_ERROR_CODES, CollectorHttpError, ERROR_STATUS } from '../src/errors.js';
import * as api from '../src/index.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('errors', () => {
  it('maps every HTTP error code to a 4xx or 5xx status, and codes are unique across HTTP and config errors', () => {
    const codes = [...Object.keys(ERROR_STATUS), ...CONFIG_ERROR_CODES];
    expect(new Set(codes).size).toBe(codes.length);
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect(code).toMatch(/^FAULTLINE_[A-Z_]+$/);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
  });

  it('uses only mapped codes in the sources', () => {
    const root = new URL('../src', import.meta.url).pathname;
    // cli.ts names environment variables (FAULTLINE_PORT, ...), not error codes.
    const files = sources(root).filter((file) => !file.endsWith('/config/cli.ts'));
    const used = new Set(files.flatMap((file) => readFileSync(file, 'utf8').match(/'FAULTLINE_[A-Z_]+'/g) ?? []));
    const known = new Set([...Object.keys(ERROR_STATUS), ...CONFIG_ERROR_CODES].map((c) => `'${c}'`));
    expect([...used].filter((code) => !known.has(code))).toEqual([]);
    // And the other way: a mapped code that nothing sends is a promise in the README that nothing keeps.
    expect(Object.keys(ERROR_STATUS).filter((code) => !used.has(`'${code}'`))).toEqual([]);
  });

  it('gives each HTTP error its status from the code, and exports the classes', () => {
    const error = new CollectorHttpError('FAULTLINE_RATE_LIMITED', 'slow down', { retryAfter: 3 });
    expect(error).toMatchObject({ statusCode: 429, code: 'FAULTLINE_RATE_LIMITED', retryAfter: 3, message: 'slow down' });
    expect(api.CollectorHttpError).toBe(CollectorHttpError);
    expect(api.ERROR_STATUS).toBe(ERROR_STATUS);
    expect(typeof api.CollectorConfigError).toBe('function');
  });
});
